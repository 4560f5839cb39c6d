import { describe, expect, it } from 'vitest';
import { describeConnectionProblem } from './connection-problem.ts';

const WHERE = 'PostgreSQL at db:5432/billops (DATABASE_URL)';

function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('describeConnectionProblem', () => {
  it.each([
    [failure('connect ECONNREFUSED 10.0.0.1:5432', 'ECONNREFUSED'), 'connection refused. Start that server'],
    [failure('getaddrinfo ENOTFOUND db', 'ENOTFOUND'), 'its host name is not known. Fix the host'],
    [failure('timeout expired'), 'no answer (CONNECT_TIMEOUT)'],
    [
      failure('password authentication failed for user "billops"', '28P01'),
      'refused the login: password authentication failed for user "billops". Fix the user and password',
    ],
    [failure('database "billops" does not exist', '3D000'), 'Create that database (createdb <name>)'],
    [failure('the database system is starting up', '57P03'), 'Try again in a moment.'],
    [
      new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
      'connection refused',
    ],
  ])('says what %s means and what to do', (error, expected) => {
    const problem = describeConnectionProblem(error, WHERE);
    expect(problem).toContain(WHERE);
    expect(problem).toContain(expected);
    expect(problem).not.toContain('\n');
  });

  it('leaves other errors to the caller', () => {
    expect(describeConnectionProblem(failure('relation "x" does not exist', '42P01'), WHERE)).toBeUndefined();
    expect(describeConnectionProblem('boom', WHERE)).toBeUndefined();
  });
});
