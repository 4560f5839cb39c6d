export {
  startMailOutbox,
  type MailOutbox,
  type MailOutboxOptions,
  type OutboxFailure,
  type OutboxMessage,
} from './mail-outbox.ts';
