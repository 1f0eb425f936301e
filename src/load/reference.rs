//! The field reference: every front-matter field of every kind, with its
//! type as an editor reads it, its default, an example and what it is for.
//! `esiin fields` prints it, `docs/fields.md` is that output, and
//! `esiin new` writes its files from it.
//!
//! The table is kept here, beside the structs of [`super::kinds`], rather
//! than derived (e.g. with `schemars`): the types an editor needs to read
//! ("list of expert ids", "date and time") are not what a JSON schema says
//! of `Vec<String>` or of our hand-written `Deserialize` types, and the
//! examples must be YAML that builds. What keeps it from drifting are the
//! tests below: field names are compared, kind by kind and record by
//! record, with the names serde accepts (`yaml::field_names`), choices
//! come from the enums themselves (`yaml::variant_names`), and every
//! example is parsed by the real types.

use super::kinds::{ActivityType, Availability, Direction, Format, Measure, Visibility, Window};
use crate::config::Kind;
use crate::yaml::variant_names;

/// One front-matter field.
#[derive(Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// `None`: required.
    pub default: Option<&'static str>,
    /// A value as written in YAML (on one line; records have none of
    /// their own: theirs is made from their fields').
    pub example: &'static str,
    /// One line: what the field is for.
    pub about: &'static str,
}

/// A field's type, as an editor reads it.
#[derive(Debug)]
pub(crate) enum Ty {
    Text,
    Date,
    DateTime,
    Bool,
    Whole,
    Number,
    Minutes,
    /// A URL, or a link to a page or a file of the handbook.
    Link,
    /// A full `http(s)` address: read outside the handbook (a feed).
    Url,
    /// An image file beside the page, or a URL.
    Image,
    Email,
    /// What the value names: "expert id", "page id or `.md` path".
    Id(&'static str),
    /// A map, described.
    Map(&'static str),
    /// One of the names an enum is written as.
    OneOf(fn() -> &'static [&'static str]),
    List(&'static Ty),
    Record(&'static Record),
    Records(&'static Record),
}

/// A nested record (`session`, `goal`, …): the items of a list field, or
/// the value of a map field.
#[derive(Debug)]
pub(crate) struct Record {
    /// The record's name in the reference (`session`).
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// A kind's own fields.
#[derive(Debug)]
pub(crate) struct KindFields {
    pub kind: Kind,
    /// One line: what pages of the kind are.
    pub about: &'static str,
    pub fields: &'static [Field],
}

/// A field, for the tables below.
const fn f(
    name: &'static str,
    ty: Ty,
    default: Option<&'static str>,
    example: &'static str,
    about: &'static str,
) -> Field {
    Field {
        name,
        ty,
        default,
        example,
        about,
    }
}

const REQUIRED: Option<&str> = None;
const NONE: Option<&str> = Some("none");
const EMPTY: Option<&str> = Some("`[]`");
const FALSE: Option<&str> = Some("`false`");

fn kind_names() -> &'static [&'static str] {
    variant_names::<Kind>()
}

/// Fields every kind has ([`super::kinds::Common`]).
pub(crate) const COMMON: &[Field] = &[
    f(
        "title",
        Ty::Text,
        REQUIRED,
        "Mari Oksanen",
        "The page's title; for an expert, the person's name.",
    ),
    f(
        "description",
        Ty::Text,
        NONE,
        "Who to ask about talks and writing.",
        "One line shown in lists, search results and link previews.",
    ),
    f(
        "kind",
        Ty::OneOf(kind_names),
        Some("the folder's kind (`kinds:` in handbook.yaml), else `page`"),
        "module",
        "What the page is; usually set by its folder.",
    ),
    f(
        "date",
        Ty::Date,
        NONE,
        "2026-03-31",
        "The page's own date, e.g. of an announcement.",
    ),
    f(
        "updated",
        Ty::Date,
        NONE,
        "2026-04-15",
        "When the content last changed, shown as \"Last updated\".",
    ),
    f(
        "draft",
        Ty::Bool,
        FALSE,
        "true",
        "Left out of the site unless built with `--drafts` (`serve` shows drafts).",
    ),
    f(
        "weight",
        Ty::Whole,
        NONE,
        "10",
        "Order in its section: lower first, then by title.",
    ),
    f(
        "slug",
        Ty::Text,
        Some("the file name"),
        "mari",
        "Replaces the last part of the page's URL.",
    ),
    f(
        "aliases",
        Ty::List(&Ty::Text),
        EMPTY,
        "[/old/mari/]",
        "Old URLs that redirect here.",
    ),
    f(
        "tags",
        Ty::List(&Ty::Text),
        EMPTY,
        "[writing, social media]",
        "Free tags.",
    ),
    f(
        "owner",
        Ty::Id("expert id"),
        NONE,
        "mari-oksanen",
        "The expert who keeps the page up to date.",
    ),
    f(
        "review_by",
        Ty::Date,
        NONE,
        "2027-01-31",
        "Past this date the page is reported as stale.",
    ),
    f(
        "template",
        Ty::Text,
        Some("the kind's template"),
        "page.html",
        "A template of the theme or of `templates/` to render the page with.",
    ),
    f(
        "extra",
        Ty::Map("map of anything"),
        NONE,
        "{banner: banner.jpg}",
        "Anything else, for custom templates (`page.extra`).",
    ),
];

const EXPERT: &[Field] = &[
    f(
        "role",
        Ty::Text,
        NONE,
        "Senior consultant",
        "The person's role.",
    ),
    f("team", Ty::Text, NONE, "Data", "The person's team."),
    f(
        "photo",
        Ty::Image,
        NONE,
        "mari-oksanen.jpg",
        "A portrait: an image file beside the page.",
    ),
    f(
        "email",
        Ty::Email,
        NONE,
        "mari.oksanen@example.com",
        "Shown on the profile; the chat link uses it too.",
    ),
    f(
        "location",
        Ty::Text,
        NONE,
        "Tampere",
        "Where the person works from.",
    ),
    f(
        "languages",
        Ty::List(&Ty::Text),
        EMPTY,
        "[Finnish, English]",
        "Languages the person works in.",
    ),
    f(
        "topics",
        Ty::List(&Ty::Text),
        EMPTY,
        "[data platforms, public speaking]",
        "The expertise people search for; each gets a topic page.",
    ),
    f(
        "ask_me_about",
        Ty::List(&Ty::Text),
        EMPTY,
        "[my first conference talk]",
        "Short phrases: what to ask the person about.",
    ),
    f(
        "available_for",
        Ty::List(&Ty::OneOf(variant_names::<Availability>)),
        EMPTY,
        "[talks, mentoring]",
        "What the person is available for.",
    ),
    f(
        "channels",
        Ty::Map(
            "map from channel (`linkedin`, `blog`, `github`, `x`, `mastodon`, `bluesky`, `youtube`, `website`, `stackoverflow`, or another name) to URL or handle",
        ),
        NONE,
        "{github: moksanen}",
        "Where the person publishes.",
    ),
    f(
        "visibility",
        Ty::OneOf(variant_names::<Visibility>),
        Some("`listed`"),
        "unlisted",
        "`unlisted` keeps the profile but leaves it out of the directory, topic lists and search.",
    ),
    f(
        "activity",
        Ty::Records(&ACTIVITY),
        EMPTY,
        "",
        "The person's own public work: shown on the profile, in \"recently shared\" and the feed, and counted by goals measured from activity.",
    ),
];

const ACTIVITY: Record = Record {
    name: "activity",
    fields: &[
        f(
            "date",
            Ty::Date,
            REQUIRED,
            "2026-03-12",
            "When it was published or held.",
        ),
        f(
            "title",
            Ty::Text,
            REQUIRED,
            "What our first year of data contracts taught us",
            "Its title.",
        ),
        f(
            "url",
            Ty::Url,
            REQUIRED,
            "https://kuulas.example/blog/data-contracts",
            "Where to read, watch or listen to it.",
        ),
        f(
            "channel",
            Ty::Text,
            NONE,
            "blog",
            "Where it was published, named as in `channels`; what a goal's `channels` counts.",
        ),
        f(
            "type",
            Ty::OneOf(variant_names::<ActivityType>),
            Some("`other`"),
            "post",
            "What it is.",
        ),
    ],
};

const MATERIAL: Record = Record {
    name: "material",
    fields: &[
        f(
            "title",
            Ty::Text,
            REQUIRED,
            "Slide template",
            "The material's name.",
        ),
        f(
            "url",
            Ty::Link,
            REQUIRED,
            "https://example.com/slides",
            "Where it is: a URL, or a link to a page or file.",
        ),
    ],
};

const SESSION: Record = Record {
    name: "session",
    fields: &[
        f(
            "id",
            Ty::Text,
            Some("the start time"),
            "spring-2027",
            "A stable name, so calendar entries survive a change of `start`.",
        ),
        f(
            "start",
            Ty::DateTime,
            REQUIRED,
            "2027-06-10 09:00",
            "When the session starts, in the handbook's `timezone`.",
        ),
        f(
            "end",
            Ty::DateTime,
            NONE,
            "2027-06-10 12:00",
            "When it ends: after `start`.",
        ),
        f(
            "location",
            Ty::Text,
            NONE,
            "Tampere office",
            "Where it is held.",
        ),
        f(
            "online_url",
            Ty::Link,
            NONE,
            "https://meet.example.com/basics",
            "Where to join online.",
        ),
        f(
            "signup_url",
            Ty::Link,
            NONE,
            "https://forms.example.com/basics",
            "Where to sign up.",
        ),
        f("seats", Ty::Whole, NONE, "12", "How many can attend."),
        f(
            "cancelled",
            Ty::Bool,
            FALSE,
            "false",
            "Stays listed, struck through, and cancels calendar entries.",
        ),
    ],
};

const MODULE: &[Field] = &[
    f(
        "summary",
        Ty::Text,
        NONE,
        "One story, one number, one rehearsal.",
        "One line about the module, for the catalogue.",
    ),
    f(
        "format",
        Ty::OneOf(variant_names::<Format>),
        NONE,
        "workshop",
        "How the module is taught.",
    ),
    f("duration", Ty::Minutes, NONE, "3h", "How long it takes."),
    f(
        "audience",
        Ty::Text,
        NONE,
        "Anyone giving a first talk",
        "Who it is for.",
    ),
    f(
        "level",
        Ty::Text,
        NONE,
        "Beginner",
        "How much people should know already.",
    ),
    f(
        "objectives",
        Ty::List(&Ty::Text),
        EMPTY,
        "[Shape a talk around one story]",
        "What participants can do afterwards.",
    ),
    f(
        "prerequisites",
        Ty::List(&Ty::Id("module id")),
        EMPTY,
        "[presentation-basics]",
        "Modules to take first.",
    ),
    f(
        "trainers",
        Ty::List(&Ty::Id("expert id")),
        EMPTY,
        "[mari-oksanen]",
        "Who teaches it.",
    ),
    f(
        "materials",
        Ty::Records(&MATERIAL),
        EMPTY,
        "",
        "Slides, templates and reading.",
    ),
    f(
        "sessions",
        Ty::Records(&SESSION),
        EMPTY,
        "",
        "When the module is taught.",
    ),
];

const PERIOD: Record = Record {
    name: "period",
    fields: &[
        f(
            "start",
            Ty::Date,
            REQUIRED,
            "2026-01-01",
            "The first day of the plan.",
        ),
        f(
            "end",
            Ty::Date,
            REQUIRED,
            "2026-12-31",
            "The last day: on or after `start`.",
        ),
    ],
};

const ACTUAL: Record = Record {
    name: "actual",
    fields: &[
        f(
            "date",
            Ty::Date,
            REQUIRED,
            "2026-01-31",
            "The day the figure is for.",
        ),
        f("value", Ty::Number, REQUIRED, "1310", "The figure."),
    ],
};

const GOAL: Record = Record {
    name: "goal",
    fields: &[
        f(
            "id",
            Ty::Text,
            REQUIRED,
            "blog-visitors",
            "A name for the goal, unique in the plan.",
        ),
        f(
            "title",
            Ty::Text,
            REQUIRED,
            "More people read our experts' posts",
            "The goal in a sentence.",
        ),
        f(
            "metric",
            Ty::Text,
            NONE,
            "Unique visitors to the blog in a month",
            "What is measured.",
        ),
        f(
            "unit",
            Ty::Text,
            NONE,
            "visitors",
            "The unit of the figures.",
        ),
        f(
            "baseline",
            Ty::Number,
            REQUIRED,
            "1200",
            "Where the figure was at the start.",
        ),
        f(
            "target",
            Ty::Number,
            REQUIRED,
            "3000",
            "Where it should get.",
        ),
        f(
            "due",
            Ty::Date,
            NONE,
            "2026-12-31",
            "When it should get there.",
        ),
        f(
            "direction",
            Ty::OneOf(variant_names::<Direction>),
            Some("`increase`"),
            "increase",
            "Whether more or less is better.",
        ),
        f(
            "actuals",
            Ty::Records(&ACTUAL),
            EMPTY,
            "",
            "The figures so far, by date.",
        ),
        f(
            "topics",
            Ty::List(&Ty::Text),
            EMPTY,
            "[public speaking]",
            "Expertise the goal needs: a topic no listed expert covers is an expertise gap.",
        ),
        f(
            "source",
            Ty::Record(&SOURCE),
            NONE,
            "",
            "Where the figures come from instead of `actuals`: the experts' `activity`, or a `csv` file (one of the two).",
        ),
    ],
};

const SOURCE: Record = Record {
    name: "source",
    fields: &[
        f(
            "activity",
            Ty::Record(&ACTIVITY_SOURCE),
            NONE,
            "",
            "Figures counted each calendar month from the experts' `activity` (not with `csv`).",
        ),
        f(
            "csv",
            Ty::Text,
            NONE,
            "data/blog-visitors.csv",
            "A CSV file under the handbook root with a header row, one row a month (not with `activity`).",
        ),
        f(
            "date",
            Ty::Text,
            Some("`date`"),
            "month",
            "The CSV's column of dates: `2026-10` (the month's last day) or `2026-10-31`.",
        ),
        f(
            "value",
            Ty::Text,
            Some("`value`"),
            "visitors",
            "The CSV's column of figures: `2790`, `1 234,5` or `1234.5`.",
        ),
    ],
};

const ACTIVITY_SOURCE: Record = Record {
    name: "activity measure",
    fields: &[
        f(
            "measure",
            Ty::OneOf(variant_names::<Measure>),
            REQUIRED,
            "share_of_staff",
            "`share_of_staff`: percent of profiles with an item in the month; `people`: experts with one; `items`: items.",
        ),
        f(
            "window",
            Ty::OneOf(variant_names::<Window>),
            Some("`month`"),
            "month",
            "The period counted: a calendar month in the handbook's `timezone`.",
        ),
        f(
            "exclude_teams",
            Ty::List(&Ty::Text),
            EMPTY,
            "[Marketing]",
            "Teams whose experts are not counted, nor in the share's denominator.",
        ),
        f(
            "channels",
            Ty::List(&Ty::Text),
            EMPTY,
            "[linkedin, blog]",
            "Only items of these channels count (all when empty).",
        ),
        f(
            "staff",
            Ty::Whole,
            NONE,
            "34",
            "The share's denominator when not everyone has a profile (else the profiles outside `exclude_teams`, unlisted ones too).",
        ),
    ],
};

const PLAN: &[Field] = &[
    f(
        "period",
        Ty::Record(&PERIOD),
        NONE,
        "",
        "The time the plan covers.",
    ),
    f(
        "owners",
        Ty::List(&Ty::Id("expert id")),
        EMPTY,
        "[mari-oksanen]",
        "Who owns the plan.",
    ),
    f(
        "goals",
        Ty::Records(&GOAL),
        EMPTY,
        "",
        "What the plan wants to achieve, with figures.",
    ),
    f(
        "stale_after_days",
        Ty::Whole,
        Some("`45`"),
        "60",
        "A goal whose latest figure is older than this shows *stale data*.",
    ),
    f(
        "tolerance_percent",
        Ty::Number,
        Some("`2`"),
        "5",
        "How far behind the expected line a goal may be and still be on track, in percent of the distance from baseline to target.",
    ),
];

const RULE: Record = Record {
    name: "rule",
    fields: &[
        f(
            "do",
            Ty::Text,
            NONE,
            "Share what you learned this week",
            "What to do.",
        ),
        f(
            "dont",
            Ty::Text,
            NONE,
            "Post customer names without asking",
            "What not to do.",
        ),
    ],
};

const GUIDELINES: &[Field] = &[
    f(
        "rules",
        Ty::Records(&RULE),
        EMPTY,
        "",
        "A few rules, each with `do` and/or `dont`; rendered as one printable image too.",
    ),
    f(
        "image",
        Ty::Image,
        NONE,
        "guidelines.png",
        "A designer's picture of the rules, used instead of the generated one.",
    ),
    f(
        "alt",
        Ty::Text,
        NONE,
        "Our social media guidelines in one picture",
        "The picture described for people who cannot see it: required with `image`.",
    ),
];

const STEP: Record = Record {
    name: "step",
    fields: &[
        f(
            "page",
            Ty::Id("page id or relative `.md` path"),
            REQUIRED,
            "guidelines",
            "The page to read.",
        ),
        f("minutes", Ty::Whole, NONE, "20", "How long the step takes."),
        f(
            "note",
            Ty::Text,
            NONE,
            "Read why we do this.",
            "A line about the step.",
        ),
    ],
};

const PATH: &[Field] = &[
    f(
        "audience",
        Ty::Text,
        NONE,
        "New hires",
        "Who the path is for.",
    ),
    f(
        "steps",
        Ty::Records(&STEP),
        EMPTY,
        "",
        "The pages to go through, in order.",
    ),
];

/// The kinds a page may have, with their own fields, in the order of SPEC.md.
pub(crate) const KINDS: &[KindFields] = &[
    KindFields {
        kind: Kind::Expert,
        about: "An expert profile; the body is the bio.",
        fields: EXPERT,
    },
    KindFields {
        kind: Kind::Module,
        about: "A training module; the body describes it.",
        fields: MODULE,
    },
    KindFields {
        kind: Kind::Plan,
        about: "The expert-visibility plan; the body is the plan's text.",
        fields: PLAN,
    },
    KindFields {
        kind: Kind::Guidelines,
        about: "The social-media guidelines, rendered as a page and one printable image.",
        fields: GUIDELINES,
    },
    KindFields {
        kind: Kind::Path,
        about: "An onboarding path: pages to go through in order.",
        fields: PATH,
    },
    KindFields {
        kind: Kind::Page,
        about: "Everything else: sections and pages of the handbook.",
        fields: &[],
    },
];

/// The reference of kind `kind` (not `section`, which has a page's fields).
pub(crate) fn of(kind: Kind) -> &'static KindFields {
    let kind = if kind == Kind::Section {
        Kind::Page
    } else {
        kind
    };
    KINDS
        .iter()
        .find(|k| k.kind == kind)
        .unwrap_or(&KINDS[KINDS.len() - 1])
}

impl Ty {
    /// The type in an editor's words.
    pub(crate) fn describe(&self) -> String {
        match self {
            Ty::Text => "text".into(),
            Ty::Date => "date `YYYY-MM-DD`".into(),
            Ty::DateTime => {
                "date and time: `2027-06-10 09:00` (local), or RFC 3339 with an offset".into()
            }
            Ty::Bool => "`true` or `false`".into(),
            Ty::Whole => "whole number".into(),
            Ty::Number => "number".into(),
            Ty::Minutes => "minutes (`90`), or text like `2h`, `1h 30min`".into(),
            Ty::Link => "URL, or link to a page or file (`../plan.md`)".into(),
            Ty::Url => "full web address (`https://…`)".into(),
            Ty::Image => "image file beside the page, or URL".into(),
            Ty::Email => "email address".into(),
            Ty::Id(what) | Ty::Map(what) => (*what).into(),
            Ty::OneOf(names) => format!("one of: {}", code_list(names())),
            Ty::List(Ty::OneOf(names)) => format!("list from: {}", code_list(names())),
            Ty::List(Ty::Id(what)) => format!("list of {what}s"),
            Ty::List(of) => format!("list of {}", of.describe()),
            Ty::Record(r) => format!("a `{}` record", r.name),
            Ty::Records(r) => format!("list of `{}` records", r.name),
        }
    }

    /// The record the type holds, if any.
    pub(crate) fn record(&self) -> Option<&'static Record> {
        match self {
            Ty::Record(r) | Ty::Records(r) => Some(*r),
            _ => None,
        }
    }
}

fn code_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// The records under `fields`, nested ones after their parents, each once.
pub(crate) fn records(fields: &'static [Field]) -> Vec<&'static Record> {
    let mut out: Vec<&'static Record> = Vec::new();
    let mut todo: Vec<&'static Field> = fields.iter().collect();
    let mut i = 0;
    while i < todo.len() {
        if let Some(r) = todo[i].ty.record()
            && !out.iter().any(|seen| seen.name == r.name)
        {
            out.push(r);
            todo.extend(r.fields);
        }
        i += 1;
    }
    out
}

/// `field` written with its example, as YAML lines `indent` spaces in,
/// each with the field it writes: a record list as one item, a record
/// with each of its fields. `esiin new` comments them; the tests parse them.
pub(crate) fn example_lines(
    field: &'static Field,
    indent: usize,
    out: &mut Vec<(String, &'static Field)>,
) {
    let pad = " ".repeat(indent);
    match &field.ty {
        Ty::Records(r) => {
            out.push((format!("{pad}{}:", field.name), field));
            let first = out.len();
            for sub in r.fields {
                example_lines(sub, indent + 4, out);
            }
            // The item's first line carries the list's `- `.
            if let Some((line, _)) = out.get_mut(first) {
                line.replace_range(indent + 2..indent + 4, "- ");
            }
        }
        Ty::Record(r) => {
            out.push((format!("{pad}{}:", field.name), field));
            for sub in r.fields {
                example_lines(sub, indent + 2, out);
            }
        }
        _ => out.push((format!("{pad}{}: {}", field.name, field.example), field)),
    }
}

/// The field reference as Markdown: every kind (`None`), or the fields a
/// page of `kind` may have (the common ones, its own and its records').
pub fn markdown(kind: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    match kind {
        None => {
            out.push_str(GENERATED);
            out.push_str(INTRO);
            table(&mut out, "## Every kind", None, COMMON);
            for k in KINDS {
                kind_section(&mut out, k);
            }
        }
        Some(name) => {
            let Some(k) = Kind::from_name(name) else {
                return Err(format!(
                    "unknown kind `{name}`: the kinds are {}",
                    kind_names().join(", ")
                ));
            };
            let k = of(k);
            out.push_str(&format!(
                "# Fields of kind `{}`\n\nA page of kind `{}` has the fields of every kind and its own.\n\n",
                k.kind, k.kind
            ));
            table(&mut out, "## Every kind", None, COMMON);
            kind_section(&mut out, k);
        }
    }
    Ok(out)
}

const GENERATED: &str = "<!-- Generated by `esiin fields`; do not edit. Regenerate: `esiin fields > docs/fields.md` -->\n\n";

const INTRO: &str = "# Front-matter fields

Every page starts with YAML front matter between `---` lines. A page's kind is \
its `kind:` field, else the kind of its folder (`kinds:` in `handbook.yaml`), \
else `page`. Every kind has the fields of \"Every kind\" and its own; any other \
field is an error. `esiin fields KIND` prints one kind; `esiin new KIND PATH` \
writes a new page with every field of its kind, commented.

";

/// A kind's own fields and its records.
fn kind_section(out: &mut String, k: &KindFields) {
    let title = format!("## `{}`", k.kind);
    if k.fields.is_empty() {
        out.push_str(&format!(
            "{title}\n\n{} No fields beyond those of every kind.\n\n",
            k.about
        ));
        return;
    }
    table(out, &title, Some(k.about), k.fields);
    for r in records(k.fields) {
        let title = format!("### `{}` records", r.name);
        table(out, &title, None, r.fields);
    }
}

/// A heading, a line about it, and one row per field.
fn table(out: &mut String, title: &str, about: Option<&str>, fields: &[Field]) {
    out.push_str(title);
    out.push_str("\n\n");
    if let Some(about) = about {
        out.push_str(about);
        out.push_str("\n\n");
    }
    out.push_str("| field | type | default | example | what it is |\n");
    out.push_str("|---|---|---|---|---|\n");
    for field in fields {
        let example = match field.ty.record() {
            Some(r) => format!("see `{}` records", r.name),
            None => format!("`{}`", field.example),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            field.name,
            cell(&field.ty.describe()),
            cell(field.default.unwrap_or("required")),
            cell(&example),
            cell(field.about)
        ));
    }
    out.push('\n');
}

/// Text for a table cell: a `|` would end it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::super::kinds::{self, Common};
    use super::*;
    use crate::yaml::field_names;
    use serde::de::DeserializeOwned;

    /// The names in `fields`, each compared with what serde accepts for
    /// `T`: any name missing from the reference or extra in it is named.
    fn same_names<T: DeserializeOwned>(what: &str, fields: &[Field]) -> Vec<String> {
        let serde = field_names::<T>();
        let ours: Vec<&str> = fields.iter().map(|f| f.name).collect();
        let mut problems = Vec::new();
        for name in serde {
            if !ours.contains(name) {
                problems.push(format!("{what}: `{name}` is missing from the reference"));
            }
        }
        for name in &ours {
            if !serde.contains(name) {
                problems.push(format!(
                    "{what}: `{name}` is in the reference but not in the model"
                ));
            }
        }
        problems
    }

    #[test]
    fn the_reference_has_every_field_of_the_models_and_no_other() {
        let mut problems = same_names::<Common>("every kind", COMMON);
        problems.extend(same_names::<kinds::Expert>(
            "expert",
            of(Kind::Expert).fields,
        ));
        problems.extend(same_names::<kinds::Module>(
            "module",
            of(Kind::Module).fields,
        ));
        problems.extend(same_names::<kinds::Plan>("plan", of(Kind::Plan).fields));
        problems.extend(same_names::<kinds::Guidelines>(
            "guidelines",
            of(Kind::Guidelines).fields,
        ));
        problems.extend(same_names::<kinds::Path>("path", of(Kind::Path).fields));
        problems.extend(same_names::<kinds::Activity>("activity", ACTIVITY.fields));
        problems.extend(same_names::<kinds::Material>("material", MATERIAL.fields));
        problems.extend(same_names::<kinds::Session>("session", SESSION.fields));
        problems.extend(same_names::<kinds::Period>("period", PERIOD.fields));
        problems.extend(same_names::<kinds::Goal>("goal", GOAL.fields));
        problems.extend(same_names::<kinds::Actual>("actual", ACTUAL.fields));
        problems.extend(same_names::<kinds::Source>("source", SOURCE.fields));
        problems.extend(same_names::<kinds::ActivitySource>(
            "activity measure",
            ACTIVITY_SOURCE.fields,
        ));
        problems.extend(same_names::<kinds::Rule>("rule", RULE.fields));
        problems.extend(same_names::<kinds::Step>("step", STEP.fields));
        // A page has no fields of its own (`Kind::fields`).
        assert!(of(Kind::Page).fields.is_empty() && Kind::Page.fields().is_empty());
        assert!(
            problems.is_empty(),
            "the field reference drifted from the models:\n{}\nupdate the tables in src/load/reference.rs, then `cargo run -q -- fields > docs/fields.md`",
            problems.join("\n")
        );
    }

    #[test]
    fn every_kind_has_a_reference_and_the_names_come_from_the_enum() {
        assert_eq!(kind_names(), Kind::NAMES);
        for name in Kind::NAMES {
            let kind = Kind::from_name(name).unwrap();
            assert_eq!(of(kind).kind, kind, "{name} has no reference");
        }
        assert_eq!(variant_names::<Format>()[4], "self-study");
    }

    #[test]
    fn defaults_written_are_the_enums_defaults() {
        let written = |fields: &[Field], name: &str| {
            fields
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.default)
        };
        let default = |v: serde_json::Value| format!("`{}`", v.as_str().unwrap_or_default());
        assert_eq!(
            written(EXPERT, "visibility").map(str::to_string),
            Some(default(serde_json::json!(Visibility::default())))
        );
        assert_eq!(
            written(GOAL.fields, "direction").map(str::to_string),
            Some(default(serde_json::json!(Direction::default())))
        );
        assert_eq!(
            written(ACTIVITY.fields, "type").map(str::to_string),
            Some(default(serde_json::json!(ActivityType::default())))
        );
        assert_eq!(
            written(ACTIVITY_SOURCE.fields, "window").map(str::to_string),
            Some(default(serde_json::json!(Window::default())))
        );
    }

    /// Front matter with every field of `fields` set to its example.
    fn example_yaml(fields: &'static [Field]) -> String {
        let mut lines = Vec::new();
        for field in fields {
            example_lines(field, 0, &mut lines);
        }
        lines.into_iter().map(|(l, _)| l + "\n").collect()
    }

    #[test]
    fn every_example_is_accepted_by_the_page_loader() {
        let config = crate::config::from_text("").unwrap();
        for k in KINDS {
            let common = example_yaml(COMMON).replace("kind: module", &format!("kind: {}", k.kind));
            let text = format!("---\n{common}{}---\nBody.\n", example_yaml(k.fields));
            let page =
                crate::load::parse_page("x.md", "x.md".into(), text.clone().into_bytes(), &config);
            if let Err(diags) = page {
                panic!(
                    "the examples of `{}` do not load:\n{text}\n{diags:#?}",
                    k.kind
                );
            }
        }
    }

    /// Every field of `r` but `leave_out`, as YAML parsed as `T`.
    fn parses_without<T: DeserializeOwned>(r: &'static Record, leave_out: &str) -> bool {
        let kept: Vec<&Field> = r.fields.iter().filter(|f| f.name != leave_out).collect();
        let mut lines = Vec::new();
        for field in kept {
            example_lines(field, 0, &mut lines);
        }
        let text: String = lines.into_iter().map(|(l, _)| l + "\n").collect();
        crate::yaml::from_str::<T>(&text).is_ok()
    }

    fn check_required<T: DeserializeOwned>(r: &'static Record) -> Vec<String> {
        let mut problems = Vec::new();
        if !parses_without::<T>(r, "") {
            problems.push(format!("{}: the examples do not parse", r.name));
        }
        for f in r.fields {
            let required = !parses_without::<T>(r, f.name);
            if required != f.default.is_none() {
                problems.push(format!(
                    "{}: `{}` required is {required} in the model",
                    r.name, f.name
                ));
            }
        }
        problems
    }

    #[test]
    fn records_say_which_fields_are_required() {
        let mut problems = check_required::<kinds::Material>(&MATERIAL);
        problems.extend(check_required::<kinds::Activity>(&ACTIVITY));
        problems.extend(check_required::<kinds::Session>(&SESSION));
        problems.extend(check_required::<kinds::Period>(&PERIOD));
        problems.extend(check_required::<kinds::Goal>(&GOAL));
        problems.extend(check_required::<kinds::Actual>(&ACTUAL));
        problems.extend(check_required::<kinds::Source>(&SOURCE));
        problems.extend(check_required::<kinds::ActivitySource>(&ACTIVITY_SOURCE));
        problems.extend(check_required::<kinds::Rule>(&RULE));
        problems.extend(check_required::<kinds::Step>(&STEP));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn records_are_listed_once_parents_first() {
        let names: Vec<&str> = records(of(Kind::Plan).fields)
            .iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(
            names,
            ["period", "goal", "actual", "source", "activity measure"]
        );
    }

    #[test]
    fn an_unknown_kind_lists_the_kinds() {
        let err = markdown(Some("expret")).unwrap_err();
        assert!(
            err.contains("expert, module, plan, guidelines, path"),
            "{err}"
        );
    }
}
