//! Unit tests of the CSV reader.

use super::*;

fn rows(text: &str) -> (Vec<(u32, String, String)>, Vec<Diagnostic>) {
    let rel: Arc<str> = Arc::from("clients/a/activities.csv");
    let mut rows = Vec::new();
    let diags = read_csv_from(&rel, text, &["date", "by"], &["summary"], |row| {
        rows.push((
            row.line,
            row.text("by").to_string(),
            row.text("summary").to_string(),
        ));
        Ok(())
    });
    (rows, diags)
}

#[test]
fn amounts_may_have_digit_separators() {
    let rel: Arc<str> = Arc::from("financials/budget.csv");
    let text =
        "client,period,amount\na,2026,\"12,500.50\"\nb,2026,1_000\nc,2026,750\nd,2026,12 500\n";
    let mut amounts = Vec::new();
    let diags = read_csv_from(&rel, text, &["client", "period", "amount"], &[], |row| {
        amounts.push(row.number("amount")?);
        Ok(())
    });
    assert_eq!(amounts, [12500.5, 1000.0, 750.0]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].message, "`12 500` is not a number");
    let span = diags[0].span.as_ref().unwrap();
    assert_eq!((span.line, span.col), (5, 8));
}

#[test]
fn quoted_cells_keep_commas_quotes_and_line_breaks() {
    let long = "é".repeat(1500);
    let text = format!(
        "\u{feff}date, by ,summary\n2026-01-03, bob ,\"one, \"\"two\"\"\nthree\"\n2026-01-02,ada,\"{long}\"\n\n2026-01-04,cé,été\n"
    );
    let (rows, diags) = rows(&text);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(rows[0], (2, "bob".into(), "one, \"two\"\nthree".into()));
    assert_eq!(rows[1], (4, "ada".into(), long));
    // After a longer record the buffer holds old bytes: only this one's count.
    assert_eq!(rows[2].1, "cé");
    assert_eq!(rows[2].2, "été");
}

#[test]
fn empty_lines_do_not_reserve_memory_without_bound() {
    let rel: Arc<str> = Arc::from("clients/a/activities.csv");
    let text = format!("date,by\n{}", "\n".repeat(3 << 20));
    let mut out: Vec<[u8; 64]> = Vec::new();
    let diags = rows_from(
        &rel,
        &text,
        (&["date", "by"], &[]),
        |_| Ok([0; 64]),
        &mut out,
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert!(out.is_empty());
    assert!(out.capacity() <= MAX_RESERVED_ROWS);
}

#[test]
fn cells_are_trimmed_of_unicode_white_space() {
    assert_eq!(trimmed(""), (0, 0));
    assert_eq!(trimmed("ada"), (0, 3));
    assert_eq!(trimmed(" ada\t"), (1, 3));
    assert_eq!(trimmed("\u{a0}été\u{2003}"), (2, 5));
    assert_eq!(trimmed("été"), (0, 5));
    assert_eq!(trimmed("   "), (3, 0));
}

#[test]
fn a_ragged_row_is_reported_at_its_line() {
    let (rows, diags) = rows("date,by,summary\n2026-01-02,ada\n2026-01-03,bob,ok\n");
    assert_eq!(rows.len(), 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].rule, "csv-shape");
    assert_eq!(diags[0].span.as_ref().map(|s| s.line), Some(2));
}

#[test]
fn a_header_of_millions_of_columns_is_one_problem() {
    let text = format!("date,by{}\n2026-01-02,ada\n", ",x".repeat(3_000_000));
    let (rows, diags) = rows(&text);
    assert!(rows.is_empty());
    assert_eq!(diags.len(), 1, "{:?}", &diags[..diags.len().min(3)]);
    assert_eq!(diags[0].rule, "csv-shape");
    assert!(diags[0].message.contains("more than 1024 cells"));
}

#[test]
fn a_file_of_bad_rows_reports_a_bounded_number_of_problems() {
    let mut text = String::from("date,by,summary\n");
    for _ in 0..100_000 {
        text.push_str("a,b\n");
    }
    text.push_str(&format!("2026-01-02,ada,{}\n", ",".repeat(5000)));
    text.push_str("2026-01-03,bob,ok\n");
    let (rows, diags) = rows(&text);
    assert_eq!(rows.len(), 1, "the good row is still read");
    assert_eq!(diags.len(), MAX_PROBLEMS_PER_FILE + 1);
    let last = diags.last().unwrap();
    assert_eq!(last.rule, "too-many-problems");
    assert!(
        last.message.contains("99801 more problems"),
        "{}",
        last.message
    );
}

#[test]
fn an_empty_table_lacks_its_columns() {
    let (_, diags) = rows("");
    assert_eq!(diags[0].rule, "missing-field");
}

/// The span of the first problem `read_csv_from` reports when every row's
/// `date` is read.
fn date_problem_at(text: &str) -> (u32, u32) {
    let rel: Arc<str> = Arc::from("clients/a/activities.csv");
    let diags = read_csv_from(&rel, text, &["date", "by"], &["summary"], |row| {
        row.date("date").map(drop)
    });
    let span = diags[0].span.as_ref().unwrap();
    (span.line, span.col)
}

#[test]
fn a_cell_after_quoted_cells_is_located_as_the_line_is_written() {
    // `"Sent, ""quickly"""` is 19 characters as written, 15 unescaped.
    assert_eq!(
        date_problem_at("summary,by,date\n\"Sent, \"\"quickly\"\"\",bob,2026-13-01\n"),
        (2, 25)
    );
    // Inside its own quotes; after leading spaces.
    assert_eq!(date_problem_at("by,date\nbob,\"2026-13-01\"\n"), (2, 6));
    assert_eq!(date_problem_at("by,date\nbob,  2026-13-01\n"), (2, 7));
    // On the line it is on, after a quoted cell that spans two.
    assert_eq!(
        date_problem_at("summary,by,date\n\"two\nlines\",bob,2026-13-01\n"),
        (3, 12)
    );
}

#[test]
fn rows_after_crlf_line_ends_are_on_their_own_lines() {
    assert_eq!(
        date_problem_at("date,by\r\n2026-01-01,a\r\n2026-13-01,b\r\n"),
        (3, 1)
    );
}
