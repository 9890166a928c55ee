//! A small writer of plain-text tables, shared by the packet lab's segment
//! tables and the `tcp_header` tool's field list.
//!
//! A table is described once, as a list of [`Column`]s: each column has its
//! title, its alignment and the function that reads its cell from a row. So
//! the titles, the alignments and the cells cannot drift apart. Columns are
//! as wide as their widest cell (or title, or `min_width`), separated by two
//! spaces, and trailing spaces are cut. No I/O: it moves with the packet lab.

use std::fmt::Write as _;

/// How a cell sits in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column: its title, alignment, least width, and how to read its cell.
pub struct Column<T> {
    pub title: &'static str,
    pub align: Align,
    pub min_width: usize,
    pub cell: fn(&T) -> String,
}

impl<T> Column<T> {
    /// A column as wide as its widest cell or its title.
    pub const fn new(title: &'static str, align: Align, cell: fn(&T) -> String) -> Self {
        Column {
            title,
            align,
            min_width: 0,
            cell,
        }
    }
}

/// The cells of a table, laid out: widths known, lines ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    aligns: Vec<Align>,
    /// The width of each column, in characters.
    pub widths: Vec<usize>,
    titles: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads every cell of `rows` and sizes the columns (titles included).
    pub fn new<T>(columns: &[Column<T>], rows: &[T]) -> Table {
        let titles: Vec<String> = columns.iter().map(|c| c.title.to_owned()).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| columns.iter().map(|c| (c.cell)(row)).collect())
            .collect();
        let widths = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain([c.title.chars().count(), c.min_width])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Table {
            aligns: columns.iter().map(|c| c.align).collect(),
            widths,
            titles,
            rows,
        }
    }

    /// The title line, without a newline.
    pub fn title_line(&self) -> String {
        self.line(&self.titles)
    }

    /// Row `i` (from 0), without a newline.
    pub fn row_line(&self, i: usize) -> String {
        self.line(&self.rows[i])
    }

    /// Every row, each ending with a newline, and no title line.
    pub fn body(&self) -> String {
        (0..self.rows.len())
            .map(|i| self.row_line(i) + "\n")
            .collect()
    }

    fn line(&self, cells: &[String]) -> String {
        let mut s = String::new();
        for ((cell, &w), align) in cells.iter().zip(&self.widths).zip(&self.aligns) {
            let _ = match align {
                Align::Left => write!(s, "{cell:<w$}  "),
                Align::Right => write!(s, "{cell:>w$}  "),
            };
        }
        s.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> [Column<(&'static str, u32)>; 2] {
        [
            Column::new("name", Align::Left, |r| r.0.to_owned()),
            Column::new("n", Align::Right, |r| r.1.to_string()),
        ]
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let table = Table::new(&columns(), &[("a", 1000), ("longer", 7)]);
        assert_eq!(table.widths, [6, 4]);
        assert_eq!(table.title_line(), "name       n");
        assert_eq!(table.body(), "a       1000\nlonger     7\n");
    }

    #[test]
    fn a_least_width_holds_and_trailing_blanks_go() {
        let mut columns = columns();
        columns[0].min_width = 8;
        let table = Table::new(&columns, &[("", 1)]);
        assert_eq!(table.widths, [8, 1]);
        assert_eq!(table.row_line(0), format!("{:8}  1", ""));
        let left_only = [Column::new("x", Align::Left, |r: &&str| r.to_string())];
        assert_eq!(Table::new(&left_only, &["a"]).body(), "a\n");
    }
}
