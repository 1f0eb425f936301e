//! The editors' report of `check --stale`: what needs looking after, by
//! owner. Computed on the resolved site (`resolve/stale.rs`, which also
//! holds the rules: what is stale, which pages need an owner); here only
//! the plain data and how it is written.

use std::fmt::Write as _;

use serde::Serialize;

/// The whole report: the findings grouped by the owner of their page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    /// The build's today (`YYYY-MM-DD`), which every age is counted to.
    pub today: String,
    /// By owner name, then the pages without an owner.
    pub groups: Vec<Group>,
}

/// The findings of one owner, or of the pages without one.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// `None`: pages with no `owner`.
    pub owner: Option<Owner>,
    pub items: Vec<Item>,
}

/// The expert who owns a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Owner {
    /// What `owner:` names: the profile's file stem (`mari-oksanen`).
    pub id: String,
    /// The expert's name (their profile's title).
    pub name: String,
}

/// One thing to look after, on one page.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The page's file, relative to the handbook root, `/`-separated.
    pub file: String,
    /// The line the finding is about (`review_by`, the goal, `sessions`).
    pub line: Option<usize>,
    /// The page's title.
    pub title: String,
    #[serde(flatten)]
    pub finding: Finding,
}

/// What is to be looked after.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The page is past its `review_by` date.
    ReviewOverdue { review_by: String, days: i64 },
    /// The page has no `owner` (only kinds that need one are reported).
    NoOwner,
    /// A plan goal's latest actual is older than the plan's
    /// `stale_after_days`.
    StaleGoal {
        goal: String,
        goal_title: String,
        latest: String,
        days: i64,
        stale_after_days: u32,
    },
    /// A module with no session that has not ended (cancelled ones do not
    /// count); `last` is the day the latest past session was on.
    NoUpcomingSessions { last: Option<String> },
}

impl Finding {
    /// The finding's kind, as in JSON (`review_overdue`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Finding::ReviewOverdue { .. } => "review_overdue",
            Finding::NoOwner => "no_owner",
            Finding::StaleGoal { .. } => "stale_goal",
            Finding::NoUpcomingSessions { .. } => "no_upcoming_sessions",
        }
    }
}

impl Item {
    /// One line saying what is wrong, naming the page.
    pub fn message(&self) -> String {
        let title = &self.title;
        match &self.finding {
            Finding::ReviewOverdue { review_by, days } => {
                format!(
                    "\"{title}\" was due for review on {review_by} ({})",
                    days_ago(*days)
                )
            }
            Finding::NoOwner => format!("\"{title}\" has no owner"),
            Finding::StaleGoal {
                goal,
                goal_title,
                latest,
                days,
                stale_after_days,
            } => format!(
                "goal `{goal}` (\"{goal_title}\") has stale data: its latest figure is from {latest}, {} (stale after {stale_after_days} days)",
                days_ago(*days)
            ),
            Finding::NoUpcomingSessions { last: Some(last) } => {
                format!("\"{title}\" has no upcoming sessions (the last was on {last})")
            }
            Finding::NoUpcomingSessions { last: None } => {
                format!("\"{title}\" has no upcoming sessions (none yet)")
            }
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self.finding {
            Finding::ReviewOverdue { .. } => {
                "review the page, then move `review_by` to a future date"
            }
            Finding::NoOwner => {
                "add `owner:` with the id of the expert who keeps the page up to date"
            }
            Finding::StaleGoal { .. } => "add the latest figure to the goal's `actuals`",
            Finding::NoUpcomingSessions { .. } => {
                "add a session under `sessions` (a module studied alone can say `format: self-study`)"
            }
        }
    }

    /// `file:line`, as diagnostics begin.
    fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        }
    }
}

fn days_ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        n => format!("{n} days ago"),
    }
}

impl Review {
    /// Groups `items`, each with its page's owner: by owner name (then
    /// id), the pages without an owner last; in a group by file, then line.
    pub(crate) fn new(today: String, items: Vec<(Option<Owner>, Item)>) -> Review {
        let mut by_owner: std::collections::BTreeMap<(bool, Option<Owner>), Vec<Item>> =
            std::collections::BTreeMap::new();
        for (owner, item) in items {
            // `false` sorts first: owned groups before "no owner".
            let key = (owner.is_none(), owner);
            by_owner.entry(key).or_default().push(item);
        }
        let mut groups: Vec<Group> = by_owner
            .into_iter()
            .map(|((_, owner), mut items)| {
                items.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
                Group { owner, items }
            })
            .collect();
        groups.sort_by(|a, b| {
            let key = |g: &Group| {
                g.owner
                    .as_ref()
                    .map(|o| (o.name.to_lowercase(), o.id.clone()))
            };
            (a.owner.is_none(), key(a)).cmp(&(b.owner.is_none(), key(b)))
        });
        Review { today, groups }
    }

    /// Every finding, group by group.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.groups.iter().flat_map(|g| g.items.iter())
    }

    /// For a terminal: a heading per owner, a line per finding.
    pub fn human(&self) -> String {
        let count = self.items().count();
        let mut out = String::new();
        if count == 0 {
            let _ = writeln!(out, "review on {}: nothing is out of date", self.today);
            return out;
        }
        let _ = writeln!(
            out,
            "review on {}: {count} thing{} to look after, by owner",
            self.today,
            if count == 1 { "" } else { "s" }
        );
        for g in &self.groups {
            let who = match &g.owner {
                Some(o) => format!("{} ({})", o.name, o.id),
                None => "No owner".to_string(),
            };
            let _ = writeln!(out, "\n{who}");
            for item in &g.items {
                let _ = writeln!(out, "  {}: {}", item.place(), item.message());
            }
        }
        out
    }

    /// For `--format json`: the groups, each finding with its `kind`,
    /// `message` and `hint`.
    pub fn to_json(&self) -> serde_json::Value {
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| {
                let items: Vec<serde_json::Value> = g
                    .items
                    .iter()
                    .map(|item| {
                        let mut v = serde_json::to_value(item).unwrap_or_default();
                        if let Some(map) = v.as_object_mut() {
                            map.insert("message".into(), item.message().into());
                            map.insert("hint".into(), item.hint().into());
                        }
                        v
                    })
                    .collect();
                serde_json::json!({ "owner": g.owner, "items": items })
            })
            .collect();
        serde_json::json!({ "today": self.today, "groups": groups })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(file: &str, finding: Finding) -> Item {
        Item {
            file: file.into(),
            line: Some(2),
            title: "T".into(),
            finding,
        }
    }

    #[test]
    fn groups_by_owner_name_with_no_owner_last() {
        let owner = |id: &str, name: &str| {
            Some(Owner {
                id: id.into(),
                name: name.into(),
            })
        };
        let review = Review::new(
            "2026-06-15".into(),
            vec![
                (None, item("content/b.md", Finding::NoOwner)),
                (owner("zz", "Aino"), item("content/c.md", Finding::NoOwner)),
                (owner("aa", "Mari"), item("content/a.md", Finding::NoOwner)),
                (None, item("content/a.md", Finding::NoOwner)),
            ],
        );
        let names: Vec<Option<&str>> = review
            .groups
            .iter()
            .map(|g| g.owner.as_ref().map(|o| o.name.as_str()))
            .collect();
        assert_eq!(names, [Some("Aino"), Some("Mari"), None]);
        assert_eq!(review.groups[2].items[0].file, "content/a.md");
        let json = review.to_json();
        assert_eq!(json["groups"][0]["items"][0]["kind"], "no_owner");
        assert_eq!(json["groups"][2]["owner"], serde_json::Value::Null);
    }

    #[test]
    fn the_human_report_has_a_heading_per_owner() {
        let review = Review::new(
            "2026-06-15".into(),
            vec![(
                None,
                item(
                    "content/a.md",
                    Finding::ReviewOverdue {
                        review_by: "2026-06-01".into(),
                        days: 14,
                    },
                ),
            )],
        );
        let text = review.human();
        assert!(text.contains("\nNo owner\n"), "{text}");
        assert!(
            text.contains("  content/a.md:2: \"T\" was due for review on 2026-06-01 (14 days ago)"),
            "{text}"
        );
    }
}
