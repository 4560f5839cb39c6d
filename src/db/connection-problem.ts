/**
 * What a failed first connection to Postgres means for the person who configured it, and what to do,
 * in one line; undefined when the error is not about reaching or logging in to the server.
 * `where` names the server as the start-up log does ("PostgreSQL at db:5432/billops (DATABASE_URL)").
 */
export function describeConnectionProblem(error: unknown, where: string): string | undefined {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `Cannot reach ${where}: connection refused. Start that server, or fix DATABASE_URL (without it billops runs its own Postgres under DATA_DIR).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach ${where}: its host name is not known. Fix the host in DATABASE_URL.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'CONNECT_TIMEOUT':
      return `Cannot reach ${where}: no answer (${code}). Check that the server runs and the network lets this machine reach it.`;
    case '28P01':
    case '28000':
      return `${where} refused the login: ${detail}. Fix the user and password in DATABASE_URL.`;
    case '3D000':
      return `${where}: ${detail}. Create that database (createdb <name>) or fix its name in DATABASE_URL.`;
    case '57P03':
    case '53300':
      return `${where} is not taking connections now: ${detail}. Try again in a moment.`;
    default:
      return undefined;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if ('code' in error && typeof error.code === 'string') return error.code;
  // NOTE: pg's connection timeout is a plain Error; Node's happy-eyeballs failure is an AggregateError.
  if (error instanceof Error && /timeout expired|timed out/i.test(error.message)) return 'CONNECT_TIMEOUT';
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  // NOTE: a migration that could not connect wraps the connection error (MigrationError's cause).
  if (error instanceof Error && error.cause !== undefined) return errorCode(error.cause);
  return undefined;
}
