//! CSV written for people to open in a spreadsheet: exports, and the list
//! of interactions an import could not match.

/// A CSV table whose cells cannot be read as spreadsheet formulas.
pub struct Table {
    writer: csv::Writer<Vec<u8>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(header);
        Table { writer }
    }

    pub fn row(&mut self, cells: &[&str]) {
        for cell in cells {
            let _ = self.writer.write_field(neutralize(cell).as_bytes());
        }
        // No more fields: this ends the record.
        let _ = self.writer.write_record(None::<&[u8]>);
    }

    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }
}

/// A cell starting with `=`, `+`, `-`, `@`, tab or CR would run as a
/// formula in a spreadsheet; a leading `'` makes it text. Plain negative
/// numbers are left alone.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}
