//! The HTML report's "Recurring boilerplate", fed from the check run: the
//! units of each document reported are counted as `mtlint mine` counts
//! them (same [`Miner`], same defaults), in the groups of the run's
//! `--group-by`; at the end the text of the texts shown is read back from
//! the documents where each was first seen, as `mine` reads it.

use super::mine::read_back;
use crate::engine::{Input, InputSettings};
use crate::mine::{Candidate, MineSettings, Miner};
use crate::report::boilerplate::{Boilerplate, Counter, MAX_GROUPS, Recurring};

/// Counts the documents of a check run.
pub(crate) struct CheckMiner<'a> {
    miner: Miner,
    settings: MineSettings,
    /// The run's inputs, in the order they are reported.
    inputs: &'a [Input],
    input: &'a InputSettings,
    jobs: usize,
}

impl<'a> CheckMiner<'a> {
    /// A counter for a run over `inputs` read as `input` says, on `jobs`
    /// threads (to read texts back).
    pub(crate) fn new(inputs: &'a [Input], input: &'a InputSettings, jobs: usize) -> Self {
        let settings = MineSettings::default();
        CheckMiner {
            miner: Miner::new(settings.clone()),
            settings,
            inputs,
            input,
            jobs,
        }
    }
}

impl Counter for CheckMiner<'_> {
    fn add(&mut self, input: usize, document: usize, group: &str, units: &[(u64, u8)]) {
        self.miner.add_keys(input, document, group, units);
    }

    fn finish(self: Box<Self>, limit: usize) -> Boilerplate {
        let this = *self;
        let mined = this.miner.finish();
        let candidates: Vec<&Candidate> = mined.candidates.iter().take(limit).collect();
        let (examples, _) = read_back(&candidates, this.inputs, this.input, this.jobs);
        let shown: Vec<Recurring> = candidates
            .iter()
            .zip(&examples)
            .filter_map(|(c, found)| {
                let first = found.first()?;
                Some(Recurring {
                    text: first.shown.clone(),
                    documents: c.docs,
                    group_documents: c.group_docs,
                    groups: c.groups.iter().take(MAX_GROUPS).cloned().collect(),
                    group_count: c.groups.len(),
                    position: c.position(),
                    whole_line: c.whole_line(),
                    example_path: first.path.clone(),
                    example_record: first.record.clone(),
                })
            })
            .collect();
        Boilerplate {
            unread: candidates.len() - shown.len(),
            more: mined.candidates.len() - candidates.len(),
            shown,
            documents: mined.documents,
            groups: mined.groups,
            dropped_below: mined.dropped_below,
            min_docs: this.settings.min_docs,
            min_share: this.settings.min_share,
        }
    }
}
