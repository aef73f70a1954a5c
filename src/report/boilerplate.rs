//! Recurring boilerplate of an audited corpus, as a report shows it: texts
//! that recur across the documents of a group (scraped page furniture no
//! rule knows yet), counted while the run reports its documents.
//!
//! Knows nothing of how texts are counted or read back: a [`Counter`] is
//! given each document's unit keys ([`crate::rows::DocumentInfo::units`])
//! with its group, and answers with [`Boilerplate`] at the end. The HTML
//! reporter feeds one when the run gives it one (`mtlint check --format
//! html` does, with the same counting as `mtlint mine`).

/// Counts the units of the documents a run reports, and finds the texts
/// that recur.
pub trait Counter: Send {
    /// Counts document `document` (0-based, in file order) of the input
    /// reported `input`-th (0-based), in the group `group`, made of the
    /// unit keys `units`.
    fn add(&mut self, input: usize, document: usize, group: &str, units: &[(u64, u8)]);

    /// The recurring texts, most documents first, at most `limit` of them
    /// with their text read back.
    fn finish(self: Box<Self>, limit: usize) -> Boilerplate;
}

/// What recurs in a run's documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Boilerplate {
    /// The texts shown, most documents first.
    pub shown: Vec<Recurring>,
    /// Recurring texts beyond those shown.
    pub more: usize,
    /// Recurring texts among the first `limit` whose text could not be read
    /// again (standard input, a file changed during the run): not shown.
    pub unread: usize,
    /// Documents and groups counted.
    pub documents: u64,
    pub groups: usize,
    /// Counts are lower bounds: texts seen in fewer documents of a group
    /// than this were dropped to keep the count table bounded (0: none).
    pub dropped_below: u32,
    /// What makes a text recur: in at least `min_docs` documents of a
    /// group, and at least `min_share` (0–1) of them.
    pub min_docs: usize,
    pub min_share: f64,
}

/// One text that recurs in at least one group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recurring {
    /// The text as written in its first document (decoration at the ends
    /// dropped, white space runs made one).
    pub text: String,
    /// Documents that hold it, in the groups where it recurs.
    pub documents: u64,
    /// Documents of those groups.
    pub group_documents: u64,
    /// The groups where it recurs, most documents first, with the
    /// documents that hold it and the group's documents (at most
    /// [`MAX_GROUPS`]; `group_count` has them all).
    pub groups: Vec<(String, u64, u64)>,
    /// Groups where it recurs.
    pub group_count: usize,
    /// Where it stands in most of its documents: `start`, `end`, else
    /// `line` (a whole line) or `sentence`.
    pub position: &'static str,
    /// Whether it is a whole line in every document that holds it.
    pub whole_line: bool,
    /// The first document that holds it: its path as reported, and record.
    pub example_path: String,
    pub example_record: Option<String>,
}

/// Groups listed for one recurring text at most.
pub const MAX_GROUPS: usize = 500;

impl Recurring {
    /// Share of the documents of its groups that hold it (0–1).
    pub fn share(&self) -> f64 {
        self.documents as f64 / self.group_documents.max(1) as f64
    }
}
