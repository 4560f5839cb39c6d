/** The fields one kind of import accepts: CSV headers and JSON keys alike. */
export interface IntakeColumns {
  all: readonly string[];
  required: readonly string[];
}
