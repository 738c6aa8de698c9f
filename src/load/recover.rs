//! Cutting a value serde could not use out of a YAML text, so that parsing
//! again finds the next problem: how one file reports every problem, not
//! only the first, as rustc and bean-check do.
//!
//! A cut blanks what it removes and keeps every line where it was, so the
//! positions of later problems are the positions in the file. What a cut
//! leaves is only ever parsed for its problems, never used as data: a file
//! with a problem stays unread (fail closed, so that cutting a misspelt
//! `restricted: yess` cannot make a client public).
//!
//! The cuts work on YAML's block structure by indentation, with flow
//! collections (`[a, b]`, `{ a: 1 }`) on one line: what plans files are
//! written in. A place the cuts do not understand ends the search; the
//! problems found so far stand.

/// A YAML text being cut, as lines.
pub struct Cuts {
    lines: Vec<String>,
}

impl Cuts {
    pub fn new(text: &str) -> Cuts {
        Cuts {
            lines: text.split('\n').map(str::to_string).collect(),
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Removes the mapping entry whose key starts at `line`, `col`
    /// (1-based, columns in characters): the key, its value and every
    /// line below indented deeper.
    pub fn entry(&mut self, line: usize, col: usize) -> Option<Cut> {
        let text = self.lines.get(line.checked_sub(1)?)?;
        let before: String = text.chars().take(col.checked_sub(1)?).collect();
        let key = key_name(text.chars().skip(col - 1).collect::<String>().as_str())?;
        if flow_depth(&before) > 0 {
            self.flow_item(line, col)?;
        } else {
            self.block(line, col);
            self.settle(line, col, false);
        }
        Some(Cut::Entry { key, line, col })
    }

    /// Removes the value at `line`, `col` where serde could not use it:
    /// an item of a flow sequence, an item of a block sequence, or else
    /// the mapping entry the value belongs to. Returns the key removed,
    /// if an entry was.
    pub fn value(&mut self, line: usize, col: usize) -> Option<Cut> {
        let text = self.lines.get(line.checked_sub(1)?)?;
        let before: String = text.chars().take(col.checked_sub(1)?).collect();
        let trimmed = before.trim_end();
        if trimmed.ends_with(':') {
            let key_col = key_start(trimmed)?;
            return self.entry(line, key_col);
        }
        if flow_depth(&before) > 0 {
            // An item of a flow sequence: `[meeting, lunch]`.
            self.flow_item(line, col)?;
            return Some(Cut::Item);
        }
        if trimmed.ends_with('-') && trimmed.trim_start() == "-" {
            // An item of a block sequence, `- lunch`.
            self.item(line, trimmed.chars().count());
            return Some(Cut::Item);
        }
        if trimmed.is_empty() {
            // A value below its key: cut the entry that owns it.
            let (owner_line, owner_col) = self.owner(line, col)?;
            return self.entry(owner_line, owner_col);
        }
        None
    }

    /// Removes what holds the entry whose key was at `line`, `col`: the
    /// block sequence item it starts, or the entry that owns its mapping.
    /// For an entry serde needs, whose removal left its mapping incomplete.
    pub fn container(&mut self, line: usize, col: usize) -> Option<Cut> {
        let text = self.lines.get(line.checked_sub(1)?)?;
        let before: String = text.chars().take(col.checked_sub(1)?).collect();
        let trimmed = before.trim_end();
        if trimmed.ends_with('-') && !trimmed.contains(':') {
            self.item(line, trimmed.chars().count());
            return Some(Cut::Item);
        }
        let (owner_line, owner_col) = self.owner(line, col)?;
        let owner = self.lines.get(owner_line - 1)?;
        let owner_before: String = owner.chars().take(owner_col - 1).collect();
        let owner_trimmed = owner_before.trim_end();
        if owner_trimmed.ends_with('-') && !owner_trimmed.contains(':') {
            // The mapping is a sequence item written `- key: value`.
            self.item(owner_line, owner_trimmed.chars().count());
            return Some(Cut::Item);
        }
        self.entry(owner_line, owner_col)
    }

    /// The key line (and the key's column) of the block that the line
    /// `line`, indented to `col`, belongs to: the nearest line above
    /// indented less that ends with a `:`.
    fn owner(&self, line: usize, col: usize) -> Option<(usize, usize)> {
        let depth = col.saturating_sub(1);
        for l in (1..line).rev() {
            let text = &self.lines[l - 1];
            let content = strip_comment(text);
            if content.trim().is_empty() {
                continue;
            }
            let indent = content.chars().take_while(|c| *c == ' ').count();
            let start = key_column(content);
            if indent < depth || start <= depth {
                if !content.trim_end().ends_with(':') {
                    return None;
                }
                return Some((l, start + 1));
            }
        }
        None
    }

    /// Removes the block sequence item whose `-` is at `line`, `col`.
    fn item(&mut self, line: usize, col: usize) {
        self.block(line, col);
        self.settle(line, col, true);
    }

    /// After a cut at `line`, `col`: what the cut emptied is written
    /// empty, `{}` or `[]`, so that the next parse finds the next problem
    /// rather than the hole the cut left (`coverage:` with nothing below
    /// would read as no value at all).
    fn settle(&mut self, line: usize, col: usize, was_item: bool) {
        let depth = col.saturating_sub(1);
        let next_depth = self.lines[line..]
            .iter()
            .map(|l| strip_comment(l))
            .find(|l| !l.trim().is_empty())
            .map(|l| l.chars().take_while(|c| *c == ' ').count());
        let kept = &self.lines[line - 1];
        if !was_item && kept.trim() == "-" {
            // The first entry of a `- key: value` item went.
            if next_depth != Some(depth) {
                let item = format!("{kept}{{}}");
                self.lines[line - 1] = item;
            }
            return;
        }
        let Some((owner_line, owner_col)) = self.owner(line, col) else {
            return;
        };
        let owner_depth = owner_col - 1;
        let holds_more = self.lines[owner_line..]
            .iter()
            .map(|l| strip_comment(l))
            .filter(|l| !l.trim().is_empty())
            .take_while(|l| l.chars().take_while(|c| *c == ' ').count() > owner_depth)
            .next()
            .is_some();
        if !holds_more {
            let owner = &self.lines[owner_line - 1];
            let content = strip_comment(owner).trim_end();
            let at = content.len();
            let empty = if was_item { " []" } else { " {}" };
            let settled = format!("{}{empty}{}", &owner[..at], &owner[at..]);
            self.lines[owner_line - 1] = settled;
        }
    }

    /// Blanks `line` from `col` on and every following line indented
    /// deeper than `col - 1` (blank and comment lines among them too).
    fn block(&mut self, line: usize, col: usize) {
        let depth = col.saturating_sub(1);
        let Some(text) = self.lines.get_mut(line - 1) else {
            return;
        };
        let kept: String = text.chars().take(depth).collect();
        *text = if kept.trim().is_empty() {
            String::new()
        } else {
            kept
        };
        let mut last = line;
        for l in line + 1..=self.lines.len() {
            let content = strip_comment(&self.lines[l - 1]);
            if content.trim().is_empty() {
                continue;
            }
            if content.chars().take_while(|c| *c == ' ').count() <= depth {
                break;
            }
            last = l;
        }
        for l in line + 1..=last {
            self.lines[l - 1].clear();
        }
    }

    /// Removes the item of a one-line flow collection starting at `col`,
    /// with the comma that separates it.
    fn flow_item(&mut self, line: usize, col: usize) -> Option<()> {
        let text = self.lines.get(line - 1)?;
        let chars: Vec<char> = text.chars().collect();
        let start = col - 1;
        let (mut depth, mut quote) = (0i32, None::<char>);
        let mut end = None;
        let mut i = start;
        while i < chars.len() {
            let c = chars[i];
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') if depth == 0 => {
                    end = Some((i, false));
                    break;
                }
                (None, ']' | '}') => depth -= 1,
                (None, ',') if depth == 0 => {
                    end = Some((i + 1, true));
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let (mut end, comma) = end?;
        let mut start = start;
        if comma {
            while end < chars.len() && chars[end] == ' ' {
                end += 1;
            }
        } else {
            // The last item: the spaces before the bracket stay, and the
            // comma before the item goes instead of one after it.
            while end > start && chars[end - 1] == ' ' {
                end -= 1;
            }
            let mut j = start;
            while j > 0 && chars[j - 1] == ' ' {
                j -= 1;
            }
            if j > 0 && chars[j - 1] == ',' {
                start = j - 1;
            }
        }
        let cut: String = chars[..start].iter().chain(&chars[end..]).collect();
        self.lines[line - 1] = cut;
        Some(())
    }
}

/// What a cut removed.
#[derive(Debug, PartialEq, Eq)]
pub enum Cut {
    /// A mapping entry: its key, and where the key was.
    Entry {
        key: String,
        line: usize,
        col: usize,
    },
    /// An item of a sequence.
    Item,
}

/// The column (0-based, in characters) where the content of a line
/// starts after its indentation and any `- ` sequence markers.
fn key_column(line: &str) -> usize {
    let mut col = 0;
    let mut chars = line.chars().peekable();
    loop {
        match chars.peek() {
            Some(' ') => {
                chars.next();
                col += 1;
            }
            Some('-') => {
                chars.next();
                if matches!(chars.peek(), Some(' ') | None) {
                    col += 1;
                } else {
                    return col;
                }
            }
            _ => return col,
        }
    }
}

/// Where (1-based) the key ends before the `:` that `before` ends with
/// starts: after a space, `{`, `,`, a `- ` marker, or the line's start.
fn key_start(before: &str) -> Option<usize> {
    let chars: Vec<char> = before.strip_suffix(':')?.chars().collect();
    let mut end = chars.len();
    while end > 0 && chars[end - 1] == ' ' {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let mut start = end;
    if matches!(chars[end - 1], '"' | '\'') {
        let q = chars[end - 1];
        start -= 1;
        while start > 0 && chars[start - 1] != q {
            start -= 1;
        }
        start = start.checked_sub(1)?;
    } else {
        while start > 0 && !matches!(chars[start - 1], ' ' | '{' | ',' | '[') {
            start -= 1;
        }
    }
    Some(start + 1)
}

/// The key of the entry a text starts with: up to its `:`.
fn key_name(from_key: &str) -> Option<String> {
    let key = if let Some(rest) = from_key.strip_prefix(['"', '\'']) {
        let q = from_key.chars().next()?;
        rest.split(q).next()?
    } else {
        from_key.split(':').next()?
    };
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_string())
}

/// How many flow collections are open at the end of `before`.
fn flow_depth(before: &str) -> i32 {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in before.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, '#') => break,
            _ => {}
        }
    }
    depth.max(0)
}

/// A line without its comment (a `#` after a space or at the start, out
/// of quotes).
fn strip_comment(line: &str) -> &str {
    let (mut quote, mut prev) = (None::<char>, ' ');
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev == ' ' || prev == '\t' => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, line: usize, col: usize) -> Cut {
        Cut::Entry {
            key: key.to_string(),
            line,
            col,
        }
    }

    fn cut(text: &str, f: impl FnOnce(&mut Cuts) -> Option<Cut>) -> (Option<Cut>, String) {
        let mut cuts = Cuts::new(text);
        let what = f(&mut cuts);
        (what, cuts.text())
    }

    #[test]
    fn an_entry_goes_with_its_block_and_the_lines_stay() {
        let text = "name: A\ncoverage:\n  owner: ada\n\n  team: [bob]\nregion: uk\n";
        let (what, after) = cut(text, |c| c.entry(2, 1));
        assert_eq!(what, Some(entry("coverage", 2, 1)));
        assert_eq!(after, "name: A\n\n\n\n\nregion: uk\n");
    }

    #[test]
    fn a_value_takes_its_entry_inside_a_sequence_item() {
        let text = "history:\n  - date: 2026-13-01\n    tier: a\n  - date: 2026-01-01\n";
        let (what, after) = cut(text, |c| c.value(2, 11));
        assert_eq!(what, Some(entry("date", 2, 5)));
        assert_eq!(after, "history:\n  - \n    tier: a\n  - date: 2026-01-01\n");
        // The item then lacks `date`: its container is the item.
        let mut cuts = Cuts::new(&after);
        assert_eq!(cuts.container(2, 5), Some(Cut::Item));
        assert_eq!(cuts.text(), "history:\n\n\n  - date: 2026-01-01\n");
    }

    #[test]
    fn flow_items_go_alone() {
        let (what, after) = cut("types: [meeting, lunch, call]\n", |c| c.value(1, 18));
        assert_eq!(what, Some(Cut::Item));
        assert_eq!(after, "types: [meeting, call]\n");
        let (_, after) = cut("types: [meeting, lunch]\n", |c| c.value(1, 18));
        assert_eq!(after, "types: [meeting]\n");
        let (what, after) = cut("t: { count: [meeting], per: quartr }\n", |c| c.value(1, 29));
        assert_eq!(what, Some(entry("per", 1, 24)));
        assert_eq!(after, "t: { count: [meeting] }\n");
    }

    #[test]
    fn a_value_below_its_key_takes_the_key() {
        let text = "name: A\ncoverage:\n  - ada\nregion: uk\n";
        let (what, after) = cut(text, |c| c.value(3, 3));
        assert_eq!(what, Some(entry("coverage", 2, 1)));
        assert_eq!(after, "name: A\n\n\nregion: uk\n");
    }

    #[test]
    fn block_sequence_items() {
        let text = "types:\n  - meeting\n  - lunch\n  - call\n";
        let (what, after) = cut(text, |c| c.value(3, 5));
        assert_eq!(what, Some(Cut::Item));
        assert_eq!(after, "types:\n  - meeting\n\n  - call\n");
    }

    #[test]
    fn what_a_cut_empties_is_written_empty() {
        let text = "name: A\ncoverage:\n  owner: [ada, bob] # lead\nregion: uk\n";
        let (_, after) = cut(text, |c| c.value(3, 10));
        assert_eq!(after, "name: A\ncoverage: {}\n\nregion: uk\n");
        let text = "types: # what counts\n  - lunch\nper: year\n";
        let (_, after) = cut(text, |c| c.value(2, 5));
        assert_eq!(after, "types: [] # what counts\n\nper: year\n");
        let text = "history:\n  - date: 2026-13-01\n  - date: 2026-01-01\n";
        let (_, after) = cut(text, |c| c.value(2, 11));
        assert_eq!(after, "history:\n  - {}\n  - date: 2026-01-01\n");
    }

    #[test]
    fn places_it_does_not_understand_end_the_search() {
        assert_eq!(cut("a: b c\n", |c| c.value(1, 6)).0, None);
        assert_eq!(cut("a: b\n", |c| c.value(9, 1)).0, None);
    }
}
