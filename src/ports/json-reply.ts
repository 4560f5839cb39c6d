// What an HTTP JSON endpoint answers: status, body and headers, decided by a use case, sent by an edge.

export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}
