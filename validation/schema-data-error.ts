import { DataPlaneError } from '../config';

/** Raised when the pinned schema or CRD files are not where the validator looks for them. */
export class SchemaDataError extends DataPlaneError {
  constructor(what: string, missingPath: string, envVar: string) {
    super(what, [
      `${missingPath} does not exist; point ${envVar} (or DATAPLANE_SHARED_DIR, the folder holding it) at a copy of the pinned files. ` +
        `README, section "Schema data for offline validation", says where to fetch them and how to check them.`,
    ]);
  }
}
