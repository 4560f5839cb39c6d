import type { IntakeCatalog } from './intake-catalog.ts';
import type { RowLabel } from './intake-rows.ts';

export interface ImportOptions {
  catalog: IntakeCatalog;
  /** Import the valid rows and list the rest; otherwise one invalid row means nothing is written. */
  skipInvalid?: boolean;
  /** How row numbers read in messages naming another row; "row 7" unless the rows came from JSON. */
  rowLabel?: RowLabel;
}
