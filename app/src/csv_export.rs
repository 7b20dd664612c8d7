//! CSV rendering of export rows (RFC 4180: CRLF line ends, fields with `"`, `,`, CR or
//! LF quoted, quotes doubled), done by the `csv` crate rather than by hand.
use crate::model::{Batch, Event};
use crate::store::ExportRow;

pub const HEADER: [&str; 12] = [
    "record_type",
    "batch_id",
    "batch_name",
    "batch_type",
    "is_public",
    "started_at",
    "created_at",
    "event_id",
    "event_type",
    "occurred_at",
    "note",
    "rating",
];

/// Appends rows to an in-memory buffer that the caller caps in size.
pub struct CsvWriter {
    inner: csv::Writer<Vec<u8>>,
}

impl CsvWriter {
    pub fn new(with_header: bool) -> CsvWriter {
        let mut inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        if with_header {
            inner
                .write_record(HEADER)
                .expect("writing to a Vec cannot fail");
        }
        CsvWriter { inner }
    }

    pub fn write(&mut self, row: &ExportRow) {
        let record = match row {
            ExportRow::Batch(b) => batch_record(b),
            ExportRow::Event(e) => event_record(e),
        };
        self.inner
            .write_record(&record)
            .expect("writing to a Vec cannot fail");
    }

    /// Bytes written so far (the csv crate buffers internally, so flush first).
    pub fn len(&mut self) -> usize {
        self.inner.flush().expect("flushing a Vec cannot fail");
        self.inner.get_ref().len()
    }

    pub fn is_empty(&mut self) -> bool {
        self.len() == 0
    }

    pub fn finish(self) -> Vec<u8> {
        self.inner.into_inner().expect("flushing a Vec cannot fail")
    }
}

/// Spreadsheets execute cells starting with these as formulas (CSV injection); a leading
/// apostrophe keeps user text as text. Applied to user-entered fields only.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn batch_record(b: &Batch) -> Vec<String> {
    vec![
        "batch".into(),
        b.id.clone(),
        defuse(&b.name),
        b.batch_type.as_str().into(),
        b.is_public.to_string(),
        b.started_at.clone(),
        b.created_at.clone(),
        String::new(),
        String::new(),
        String::new(),
        defuse(b.notes.as_deref().unwrap_or("")),
        String::new(),
    ]
}

fn event_record(e: &Event) -> Vec<String> {
    vec![
        "event".into(),
        e.batch_id.clone(),
        defuse(&e.batch_name),
        e.batch_type.map(|t| t.as_str()).unwrap_or("").into(),
        String::new(),
        String::new(),
        e.created_at.clone(),
        e.id.clone(),
        e.event_type.as_str().into(),
        e.occurred_at.clone(),
        defuse(e.note.as_deref().unwrap_or("")),
        e.rating.map(|r| r.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BatchType, EventType};

    fn batch(name: &str, notes: Option<&str>) -> ExportRow {
        ExportRow::Batch(Batch {
            id: "01HZZZZZZZZZZZZZZZZZZZZZZZ".into(),
            name: name.into(),
            batch_type: BatchType::Milk,
            is_public: false,
            notes: notes.map(Into::into),
            started_at: "2025-01-01T00:00:00Z".into(),
            created_at: "2025-01-01T00:00:00Z".into(),
        })
    }

    #[test]
    fn rfc4180_quoting() {
        let mut w = CsvWriter::new(true);
        w.write(&batch("Plain", None));
        w.write(&batch("Comma, \"quoted\"", Some("line1\nline2\r\nline3")));
        let out = String::from_utf8(w.finish()).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            lines[1],
            "batch,01HZZZZZZZZZZZZZZZZZZZZZZZ,Plain,milk,false,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z,,,,,"
        );
        assert!(out.contains(",\"Comma, \"\"quoted\"\"\",milk,"), "{out}");
        assert!(out.contains(",\"line1\nline2\r\nline3\","), "{out}");
        assert!(out.ends_with("\r\n"));
        // A standard reader gets the original values back.
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&recs[1][2], "Comma, \"quoted\"");
        assert_eq!(&recs[1][10], "line1\nline2\r\nline3");
    }

    #[test]
    fn formulas_are_defused_and_events_render() {
        let mut w = CsvWriter::new(false);
        w.write(&batch("=HYPERLINK(\"x\")", None));
        w.write(&ExportRow::Event(Event {
            id: "E".into(),
            batch_id: "B".into(),
            event_type: EventType::Tasting,
            occurred_at: "2025-01-02T00:00:00Z".into(),
            note: Some("-tangy".into()),
            rating: Some(4),
            photo: None,
            created_at: "2025-01-02T00:00:00Z".into(),
            batch_name: "Milk 1".into(),
            batch_type: Some(BatchType::Milk),
        }));
        let out = String::from_utf8(w.finish()).unwrap();
        assert!(
            out.starts_with("batch,01HZZZZZZZZZZZZZZZZZZZZZZZ,\"'=HYPERLINK(\"\"x\"\")\","),
            "{out}"
        );
        assert!(out.ends_with("event,B,Milk 1,milk,,,2025-01-02T00:00:00Z,E,tasting,2025-01-02T00:00:00Z,'-tangy,4\r\n"), "{out}");
    }
}
