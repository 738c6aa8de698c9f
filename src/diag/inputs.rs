//! Input problems: what the loader reports when part of the repository
//! cannot be modelled at all (exit code 2). One registry, like
//! [`crate::rules::RULES`]; the README's table of ids is tested against it.

/// One kind of input problem and what it means, as the README lists it.
pub struct InputProblem {
    pub id: &'static str,
    pub meaning: &'static str,
    /// How to put it right, one line.
    pub fix: &'static str,
}

pub const MISSING_FOLDER: &str = "missing-folder";
pub const MISSING_FILE: &str = "missing-file";
pub const INVALID_YAML: &str = "invalid-yaml";
pub const UNKNOWN_FIELD: &str = "unknown-field";
pub const MISSING_FIELD: &str = "missing-field";
pub const WRONG_TYPE: &str = "wrong-type";
pub const INVALID_VALUE: &str = "invalid-value";
pub const INVALID_DATE: &str = "invalid-date";
pub const DUPLICATE_KEY: &str = "duplicate-key";
pub const EMPTY_FILE: &str = "empty-file";
pub const FRONT_MATTER: &str = "front-matter";
pub const INVALID_TEXT: &str = "invalid-text";
pub const FILE_TOO_LARGE: &str = "file-too-large";
pub const CSV_SHAPE: &str = "csv-shape";
pub const INVALID_ID: &str = "invalid-id";
pub const SYMLINK: &str = "symlink";
pub const UNREADABLE_FILE: &str = "unreadable-file";
pub const INVALID_FILE_NAME: &str = "invalid-file-name";
pub const UNKNOWN_FILE: &str = "unknown-file";
pub const TOO_MANY_PROBLEMS: &str = "too-many-problems";
pub const INVALID_CALENDAR: &str = "invalid-calendar";
pub const INVALID_MAIL: &str = "invalid-mail";
pub const INVALID_IMPORT_MAP: &str = "invalid-import-map";
pub const INVALID_EXPORT_ROW: &str = "invalid-export-row";

/// Every input problem, in the order the README documents them.
pub const INPUTS: &[InputProblem] = &[
    InputProblem {
        id: MISSING_FOLDER,
        meaning: "the content folder does not exist",
        fix: "run the command in a plans repository or give its content folder (`clientele init` makes one)",
    },
    InputProblem {
        id: MISSING_FILE,
        meaning: "`firm.yaml` or `charter.yaml` is missing",
        fix: "create the file (`clientele init` writes a starting firm.yaml and charter.yaml)",
    },
    InputProblem {
        id: INVALID_YAML,
        meaning: "the YAML cannot be parsed (or is too large or deeply nested)",
        fix: "correct the YAML at the place shown: an indentation, quote or colon the parser lost track at",
    },
    InputProblem {
        id: UNKNOWN_FIELD,
        meaning: "a field or CSV column clientele does not know",
        fix: "correct the spelling (see the suggestion) or remove the field; `clientele schema` lists every field",
    },
    InputProblem {
        id: MISSING_FIELD,
        meaning: "a required field or cell is absent",
        fix: "add the field the message names",
    },
    InputProblem {
        id: WRONG_TYPE,
        meaning: "a value of the wrong kind (text where a number belongs)",
        fix: "write the value as the kind the message names, e.g. a number without quotes or a list in brackets",
    },
    InputProblem {
        id: INVALID_VALUE,
        meaning: "a value outside its list (e.g. `type: meting`)",
        fix: "use one of the values the message lists, or a number inside the range it gives",
    },
    InputProblem {
        id: INVALID_DATE,
        meaning: "not a `YYYY-MM-DD` date, or a date that does not exist",
        fix: "write the date as YYYY-MM-DD, e.g. 2026-03-31, and check that the day exists",
    },
    InputProblem {
        id: DUPLICATE_KEY,
        meaning: "a key written twice in one mapping",
        fix: "keep one of the two keys and remove the other",
    },
    InputProblem {
        id: EMPTY_FILE,
        meaning: "a file or front matter with nothing in it",
        fix: "fill in the required fields, or delete the file",
    },
    InputProblem {
        id: FRONT_MATTER,
        meaning: "a Markdown file without front matter, or whose front matter never closes",
        fix: "start the file with a line `---`, the YAML fields, and a closing `---` line",
    },
    InputProblem {
        id: INVALID_TEXT,
        meaning: "not UTF-8, or containing NUL bytes",
        fix: "save the file as UTF-8 text without NUL bytes",
    },
    InputProblem {
        id: FILE_TOO_LARGE,
        meaning: "a YAML or Markdown file over 4 MiB, or a CSV table or a document over 256 MiB",
        fix: "split the file, or keep the document outside the repository and link to it",
    },
    InputProblem {
        id: CSV_SHAPE,
        meaning: "a CSV row with the wrong number of cells, or more than 1,024",
        fix: "give every row as many cells as the header, quoting cells that contain a comma",
    },
    InputProblem {
        id: INVALID_ID,
        meaning: "a file or folder name that cannot be an id",
        fix: "rename it with lowercase letters, digits and hyphens, e.g. `widecombe-industrial`",
    },
    InputProblem {
        id: SYMLINK,
        meaning: "a symbolic link: clientele never follows links",
        fix: "replace the link with the file itself",
    },
    InputProblem {
        id: UNREADABLE_FILE,
        meaning: "a file that cannot be read, or a FIFO, socket or device where a file belongs (clientele opens only regular files)",
        fix: "make the file readable, or replace what is there with a regular file",
    },
    InputProblem {
        id: INVALID_FILE_NAME,
        meaning: "a document whose name is not UTF-8 or cannot be a file name everywhere (`\\`, `:`, `CON`, ...); it is left out of the portal",
        fix: "rename the document with letters, digits, spaces, hyphens and dots only",
    },
    InputProblem {
        id: UNKNOWN_FILE,
        meaning: "a warning: a file or folder clientele does not read: in a client folder (`review/`, `Plan.MD`, `notes.txt`), `financials/` or `team/`, a near miss at the top (`strategy.yml`), or in a theme (a template that overrides none of the default theme's)",
        fix: "rename it as suggested, or move it out (a client's other files belong in `documents/`)",
    },
    InputProblem {
        id: TOO_MANY_PROBLEMS,
        meaning: "a CSV table with more than 200 problems: the rest are counted in this one",
        fix: "fix the problems listed first (often one cause, such as a wrong header), then check again",
    },
    InputProblem {
        id: INVALID_CALENDAR,
        meaning: "an iCalendar file `clientele import calendar` cannot read, or an event in it without a UID or a start, or with a date, time zone or RRULE it cannot use",
        fix: "export the calendar again as iCalendar (.ics); the message names the event and what it lacks",
    },
    InputProblem {
        id: INVALID_MAIL,
        meaning: "a message `clientele import mail` cannot read: no From or Message-ID header, no date, or a header longer than 1 MiB",
        fix: "export the messages again (.eml, mbox or Maildir) with their headers",
    },
    InputProblem {
        id: INVALID_IMPORT_MAP,
        meaning: "an import map (`clientele import csv --map`) that names a column the export does not have, or a value it cannot use",
        fix: "correct the map at the place shown; `schemas/import-map.schema.json` (from `clientele schema`) describes it",
    },
    InputProblem {
        id: INVALID_EXPORT_ROW,
        meaning: "a row of a CSV export whose date, type or person the import map cannot read",
        fix: "correct the row in the export, or add its value to the map's table",
    },
];

/// Whether `id` is a registered input problem.
pub fn is_input(id: &str) -> bool {
    INPUTS.iter().any(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        for (i, p) in INPUTS.iter().enumerate() {
            assert!(
                p.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                p.id
            );
            assert!(
                INPUTS[i + 1..].iter().all(|q| q.id != p.id),
                "{} twice",
                p.id
            );
        }
    }
}
