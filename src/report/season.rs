//! The season page: one self-contained HTML page beside the episodes'
//! delivery roots, with the table a season `pack` prints (each episode's
//! result, warnings, errors, whether it was read back) and a link to each
//! delivered episode's own report. Same CSS and Content-Security-Policy as
//! the delivery report; the lines come worded from the CLI.

use maud::{DOCTYPE, Markup, html};

use super::html::head;
use super::strings as s;

/// One episode's line, worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonLine {
    /// The unit (`s01e03`).
    pub episode: String,
    /// What happened, in words.
    pub result: String,
    /// `ok`, `warn` or `error`: the colour of the result.
    pub class: &'static str,
    /// QC warnings, as text (`-` when not known).
    pub warnings: String,
    /// QC errors, as text.
    pub errors: String,
    /// Read back and matched, in words.
    pub verified: String,
    /// The delivery root's name.
    pub root: String,
    /// The episode's report, relative to the season page.
    pub report: Option<String>,
    /// Why it failed or was refused.
    pub note: String,
}

/// The season page: `title`, the episodes' lines, the checks across
/// episodes (`cross`), and the count by result (`tally`).
pub fn season_html(title: &str, lines: &[SeasonLine], cross: &[String], tally: &str) -> String {
    let page: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, s::SEASON_TITLE))
            body {
                header {
                    h1 { (title) " · " (s::SEASON_TITLE) }
                    p class="summary" id="tally" { (tally) }
                }
                table class="season" {
                    thead { tr { @for c in s::SEASON_COLUMNS { th { (c) } } } }
                    tbody {
                        @for l in lines {
                            tr {
                                td class="mono" { (l.episode) }
                                td { span class=(format!("verdict {}", l.class)) { (l.result) } }
                                td class="num" { (l.warnings) }
                                td class="num" { (l.errors) }
                                td { (l.verified) }
                                td class="name" {
                                    @if let Some(href) = &l.report {
                                        a href=(href) { (l.root) }
                                    } @else {
                                        (l.root)
                                    }
                                }
                                td { (l.note) }
                            }
                        }
                    }
                }
                @if !cross.is_empty() {
                    h2 { (s::SEASON_CROSS) }
                    ul { @for c in cross { li { (c) } } }
                }
            }
        }
    };
    page.into_string()
}
