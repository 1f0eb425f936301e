//! The theme's UI strings (`strings/<language>.yaml`): every word the site
//! shows that is not the handbook's own — template labels (`{{ t.KEY }}`),
//! alert titles, calendar descriptions, the poster's labels, the titles of
//! the generated pages and the search results' format names.
//!
//! They are typed: [`Strings`] has a field per key, and every key is
//! required. A theme's strings file replaces the built-in one whole (themes
//! layer file by file, see `theme.rs`), so a key it lacks would otherwise
//! show as an empty label; instead a missing or unknown key is a build
//! error at the file, whose hint gives the default theme's line to copy.
//! Loaded once per build ([`Strings::load`]); templates read them through
//! the global `t`, serialized once when the templates are loaded.

use serde::{Deserialize, Serialize};

use super::theme::{Origin, Theme};
use crate::config::Language;
use crate::diag::{Diagnostic, suggest};
use crate::load::kinds::Format;

/// The UI strings of one language: a field per key of
/// `themes/default/strings/{en,fi}.yaml` (the doc of each is its English
/// text). No field has a default: a strings file must name every key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Strings {
    /// `skip_to_content`: "Skip to content"
    pub skip_to_content: String,
    /// `main_navigation`: "Main"
    pub main_navigation: String,
    /// `menu`: "Menu" (the button that opens the top navigation on a phone)
    pub menu: String,
    /// `breadcrumbs`: "Breadcrumb"
    pub breadcrumbs: String,
    /// `on_this_page`: "On this page"
    pub on_this_page: String,
    /// `built_on`: "Site built"
    pub built_on: String,
    /// `drafts_build`: "This build includes draft pages. Do not share it as the published handbook."
    pub drafts_build: String,
    /// `draft_title`: "Draft"
    pub draft_title: String,
    /// `draft_text`: "This page is a draft. It is left out of the published site until the draft flag is removed."
    pub draft_text: String,
    /// `stale_title`: "This page may be out of date"
    pub stale_title: String,
    /// `stale_text`: "Its content has not been reviewed on schedule."
    pub stale_text: String,
    /// `review_was_due`: "The review was due on"
    pub review_was_due: String,
    /// `stale_contact_owner`: "Questions? Contact the page owner:"
    pub stale_contact_owner: String,
    /// `tags`: "Tags"
    pub tags: String,
    /// `owner`: "Owner"
    pub owner: String,
    /// `owners`: "Owners"
    pub owners: String,
    /// `last_updated`: "Last updated"
    pub last_updated: String,
    /// `updated_from_git`: "The day of the last commit that changed this page, and its author"
    pub updated_from_git: String,
    /// `published`: "Published"
    pub published: String,
    /// `review_by`: "Review by"
    pub review_by: String,
    /// `overdue`: "Overdue"
    pub overdue: String,
    /// `edit_this_page`: "Edit this page"
    pub edit_this_page: String,
    /// `sections`: "Sections"
    pub sections: String,
    /// `pages`: "Pages"
    pub pages: String,
    /// `experts`: "Experts"
    pub experts: String,
    /// `training_modules`: "Training modules"
    pub training_modules: String,
    /// `section_empty`: "Nothing here yet."
    pub section_empty: String,
    /// `topics`: "Topics"
    pub topics: String,
    /// `unlisted_title`: "Unlisted profile"
    pub unlisted_title: String,
    /// `unlisted_text`: "At this person's request, the profile is not shown in the expert directory, in topic lists or in search. Links from other pages still lead here."
    pub unlisted_text: String,
    /// `contact`: "Contact"
    pub contact: String,
    /// `email`: "Email"
    pub email: String,
    /// `location`: "Location"
    pub location: String,
    /// `languages`: "Languages"
    pub languages: String,
    /// `channels`: "Channels"
    pub channels: String,
    /// `ask_me_about`: "Ask me about"
    pub ask_me_about: String,
    /// `available_for`: "Available for"
    pub available_for: String,
    /// `available_talks`: "Talks"
    pub available_talks: String,
    /// `available_mentoring`: "Mentoring"
    pub available_mentoring: String,
    /// `available_writing`: "Writing"
    pub available_writing: String,
    /// `available_podcasts`: "Podcasts"
    pub available_podcasts: String,
    /// `available_interviews`: "Interviews"
    pub available_interviews: String,
    /// `available_reviews`: "Reviews"
    pub available_reviews: String,
    /// `about_person`: "About"
    pub about_person: String,
    /// `training_module`: "Training"
    pub training_module: String,
    /// `module_facts`: "At a glance"
    pub module_facts: String,
    /// `format`: "Format"
    pub format: String,
    /// `format_workshop`: "Workshop"
    pub format_workshop: String,
    /// `format_clinic`: "Clinic"
    pub format_clinic: String,
    /// `format_coaching`: "Coaching"
    pub format_coaching: String,
    /// `format_talk`: "Talk"
    pub format_talk: String,
    /// `format_self_study`: "Self-study"
    pub format_self_study: String,
    /// `duration`: "Duration"
    pub duration: String,
    /// `audience`: "Audience"
    pub audience: String,
    /// `level`: "Level"
    pub level: String,
    /// `see_sessions`: "See sessions"
    pub see_sessions: String,
    /// `next_session`: "Next session"
    pub next_session: String,
    /// `objectives`: "Objectives"
    pub objectives: String,
    /// `prerequisites`: "Prerequisites"
    pub prerequisites: String,
    /// `trainers`: "Trainers"
    pub trainers: String,
    /// `sessions`: "Sessions"
    pub sessions: String,
    /// `date`: "Date"
    pub date: String,
    /// `time`: "Time"
    pub time: String,
    /// `place`: "Place"
    pub place: String,
    /// `seats`: "Seats"
    pub seats: String,
    /// `sign_up`: "Sign up"
    pub sign_up: String,
    /// `past`: "Past"
    pub past: String,
    /// `online`: "Online"
    pub online: String,
    /// `join_online`: "Join online"
    pub join_online: String,
    /// `place_tba`: "To be announced"
    pub place_tba: String,
    /// `not_given`: "not given"
    pub not_given: String,
    /// `no_sessions`: "No sessions are scheduled yet."
    pub no_sessions: String,
    /// `no_upcoming_sessions`: "No upcoming sessions at the moment."
    pub no_upcoming_sessions: String,
    /// `materials`: "Materials"
    pub materials: String,
    /// `plan`: "Plan"
    pub plan: String,
    /// `plan_facts`: "Plan details"
    pub plan_facts: String,
    /// `period`: "Period"
    pub period: String,
    /// `goals`: "Goals"
    pub goals: String,
    /// `goal`: "Goal"
    pub goal: String,
    /// `metric`: "Metric"
    pub metric: String,
    /// `baseline`: "Baseline"
    pub baseline: String,
    /// `target`: "Target"
    pub target: String,
    /// `latest`: "Latest"
    pub latest: String,
    /// `due`: "Due"
    pub due: String,
    /// `direction_increase`: "Increase"
    pub direction_increase: String,
    /// `direction_decrease`: "Decrease"
    pub direction_decrease: String,
    /// `no_data_yet`: "No data yet"
    pub no_data_yet: String,
    /// `guidelines`: "Guidelines"
    pub guidelines: String,
    /// `rules`: "Rules"
    pub rules: String,
    #[serde(rename = "do")]
    /// `do`: "Do"
    pub do_: String,
    /// `dont`: "Don't"
    pub dont: String,
    /// `download_image`: "Download the image"
    pub download_image: String,
    /// `download_png`: "Print on A4 (PNG)"
    pub download_png: String,
    /// `download_svg`: "Vector image (SVG)"
    pub download_svg: String,
    /// `poster_caption`: "The guidelines on one A4 page: print it and pin it up."
    pub poster_caption: String,
    /// `onboarding_path`: "Onboarding path"
    pub onboarding_path: String,
    /// `path_facts`: "Path details"
    pub path_facts: String,
    /// `steps`: "Steps"
    pub steps: String,
    /// `total_time`: "Total time"
    pub total_time: String,
    /// `minutes_short`: "min"
    pub minutes_short: String,
    /// `redirect_text`: "This page has moved:"
    pub redirect_text: String,
    /// `not_found_title`: "Page not found"
    pub not_found_title: String,
    /// `not_found_text`: "The page you were looking for does not exist or has moved."
    pub not_found_text: String,
    /// `back_to_home`: "Go to the home page"
    pub back_to_home: String,
    /// `try_sections`: "Or browse a section"
    pub try_sections: String,
    // Expert directory
    /// `find_expert`: "Find an expert"
    pub find_expert: String,
    /// `filters_label`: "Filter experts"
    pub filters_label: String,
    /// `filter_topic`: "Topic"
    pub filter_topic: String,
    /// `filter_team`: "Team"
    pub filter_team: String,
    /// `filter_channel`: "Channel"
    pub filter_channel: String,
    /// `filter_available`: "Available for"
    pub filter_available: String,
    /// `filter_language`: "Language"
    pub filter_language: String,
    /// `filter_any_topic`: "Any topic"
    pub filter_any_topic: String,
    /// `filter_any_team`: "Any team"
    pub filter_any_team: String,
    /// `filter_any_channel`: "Any channel"
    pub filter_any_channel: String,
    /// `filter_any_available`: "Anything"
    pub filter_any_available: String,
    /// `filter_any_language`: "Any language"
    pub filter_any_language: String,
    /// `filter_apply`: "Show experts"
    pub filter_apply: String,
    /// `filter_clear`: "Clear filters"
    pub filter_clear: String,
    /// `filter_count`: "{n} of {total} experts"
    pub filter_count: String,
    /// `filter_count_all`: "{total} experts"
    pub filter_count_all: String,
    /// `filter_none`: "No expert matches all of these filters. Try fewer filters."
    pub filter_none: String,
    /// `filter_noscript`: "Filtering needs JavaScript: every expert is listed below."
    pub filter_noscript: String,
    /// `more_topics`: "+{n} more"
    pub more_topics: String,
    /// `top_topics`: "Top topics"
    pub top_topics: String,
    /// `matrix_title`: "Where our experts live"
    pub matrix_title: String,
    /// `matrix_intro`: "How many listed experts of each team share their work on each channel. Select a number to see who they are."
    pub matrix_intro: String,
    /// `matrix_caption`: "Experts by team and channel"
    pub matrix_caption: String,
    /// `team`: "Team"
    pub team: String,
    /// `total`: "Total"
    pub total: String,
    /// `topics_and_gaps`: "Topics and gaps"
    pub topics_and_gaps: String,
    /// `browse_topics`: "Browse all topics"
    pub browse_topics: String,
    /// `gaps_link_none`: "No expertise gaps"
    pub gaps_link_none: String,
    /// `gaps_link_one`: "1 expertise gap"
    pub gaps_link_one: String,
    /// `gaps_link`: "{n} expertise gaps"
    pub gaps_link: String,
    // Topics, a topic, expertise gaps (titles and descriptions are also read by esiin)
    /// `topics_title`: "Topics"
    pub topics_title: String,
    /// `topics_description`: "Every topic our experts know, and the training and pages about it."
    pub topics_description: String,
    /// `topics_empty`: "No topics yet: experts list theirs under topics in their profile."
    pub topics_empty: String,
    /// `topic`: "Topic"
    pub topic: String,
    /// `topic_experts`: "Who knows it"
    pub topic_experts: String,
    /// `topic_modules`: "Training"
    pub topic_modules: String,
    /// `topic_pages`: "Handbook pages"
    pub topic_pages: String,
    /// `topic_plans`: "In the plan"
    pub topic_plans: String,
    /// `topic_no_experts`: "No listed expert covers this topic yet."
    pub topic_no_experts: String,
    /// `topic_is_gap`: "That makes it an expertise gap."
    pub topic_is_gap: String,
    /// `show_in_directory`: "Show in the directory"
    pub show_in_directory: String,
    /// `all_topics`: "All topics"
    pub all_topics: String,
    /// `n_experts_one`: "{n} expert"
    pub n_experts_one: String,
    /// `n_experts`: "{n} experts"
    pub n_experts: String,
    /// `n_modules_one`: "{n} module"
    pub n_modules_one: String,
    /// `n_modules`: "{n} modules"
    pub n_modules: String,
    /// `n_pages_one`: "{n} page"
    pub n_pages_one: String,
    /// `n_pages`: "{n} pages"
    pub n_pages: String,
    /// `gaps_title`: "Expertise gaps"
    pub gaps_title: String,
    /// `gaps_description`: "Topics that training, pages or the plan name, but no listed expert covers yet."
    pub gaps_description: String,
    /// `gaps_what_title`: "What is a gap?"
    pub gaps_what_title: String,
    /// `gaps_what_text`: "A topic that a training module, a handbook page or the plan names, but that no listed expert has among the topics of their profile. Someone looking for help with it finds nobody to ask, and nobody speaks for the company on it."
    pub gaps_what_text: String,
    /// `gaps_todo_title`: "What to do about one"
    pub gaps_todo_title: String,
    /// `gaps_todo_ask`: "Ask around first: someone may know the topic but not have added it to their profile. Adding it to their topics closes the gap."
    pub gaps_todo_ask: String,
    /// `gaps_todo_spelling`: "Check the spelling: a topic written differently in two places (\"SEO\" and \"search engine optimisation\") counts as two topics."
    pub gaps_todo_spelling: String,
    /// `gaps_todo_grow`: "If nobody knows it yet, decide together with the people concerned: offer training or a mentor, hire for it, or drop the topic from the plan."
    pub gaps_todo_grow: String,
    /// `gaps_todo_unlisted`: "Colleagues who chose not to be listed do not count here, and that choice is respected: do not add topics to their profiles for them."
    pub gaps_todo_unlisted: String,
    /// `gaps_named_by`: "Named by"
    pub gaps_named_by: String,
    /// `gaps_none`: "No gaps: every topic named in training, pages and the plan has a listed expert."
    pub gaps_none: String,
    // Training catalogue
    /// `modules`: "Modules"
    pub modules: String,
    /// `format_other`: "Other formats"
    pub format_other: String,
    /// `upcoming_sessions`: "Upcoming sessions"
    pub upcoming_sessions: String,
    /// `past_sessions`: "Past sessions"
    pub past_sessions: String,
    /// `module`: "Module"
    pub module: String,
    /// `add_all_to_calendar`: "Add upcoming sessions to your calendar"
    pub add_all_to_calendar: String,
    /// `add_to_calendar`: "Add to calendar"
    pub add_to_calendar: String,
    /// `add_upcoming_to_calendar`: "Add upcoming sessions"
    pub add_upcoming_to_calendar: String,
    /// `subscribe_calendar`: "Subscribe"
    pub subscribe_calendar: String,
    /// `subscribe_calendar_hint`: "Subscribed, your calendar picks up new and cancelled sessions by itself."
    pub subscribe_calendar_hint: String,
    /// `calendar_hint`: "An .ics file for Outlook, Google Calendar or Apple Calendar."
    pub calendar_hint: String,
    /// `cancelled`: "Cancelled"
    pub cancelled: String,
    /// `times_in_zone`: "Times are in the {zone} time zone."
    pub times_in_zone: String,
    /// `no_next_session`: "No session scheduled"
    pub no_next_session: String,
    /// `seats_one`: "{n} seat"
    pub seats_one: String,
    /// `seats_n`: "{n} seats"
    pub seats_n: String,
    /// `all_sessions`: "All sessions"
    pub all_sessions: String,
    // Expert profile
    /// `trains`: "Trains"
    pub trains: String,
    /// `owns`: "Looks after"
    pub owns: String,
    /// `contact_actions`: "Contact actions"
    pub contact_actions: String,
    /// `send_email`: "Send e-mail"
    pub send_email: String,
    /// `chat_on`: "Chat on {name}"
    pub chat_on: String,
    /// `teams_title`: "Teams"
    pub teams_title: String,
    /// `teams_description`: "Every team with listed experts: who is in it, the training they give and where they share."
    pub teams_description: String,
    /// `team_eyebrow`: "Team"
    pub team_eyebrow: String,
    /// `team_experts`: "People"
    pub team_experts: String,
    /// `team_modules`: "Training they give"
    pub team_modules: String,
    /// `team_channels`: "Where they share"
    pub team_channels: String,
    /// `all_teams`: "All teams"
    pub all_teams: String,
    /// `teams_empty`: "No team has listed experts yet."
    pub teams_empty: String,
    /// `browse_teams`: "Browse teams"
    pub browse_teams: String,
    /// `recently_updated`: "Recently updated"
    pub recently_updated: String,
    /// `continue_title`: "Continue where you left off"
    pub continue_title: String,
    /// `continue_next`: "Next step:"
    pub continue_next: String,
    /// `scheme_label`: "Colour scheme"
    pub scheme_label: String,
    /// `scheme_auto`: "Auto"
    pub scheme_auto: String,
    /// `scheme_light`: "Light"
    pub scheme_light: String,
    /// `scheme_dark`: "Dark"
    pub scheme_dark: String,
    /// `channel_blog`: "Blog"
    pub channel_blog: String,
    /// `channel_website`: "Website"
    pub channel_website: String,
    /// `channel_podcast`: "Podcast"
    pub channel_podcast: String,
    /// `zone_europe_helsinki`: "Europe/Helsinki"
    pub zone_europe_helsinki: String,
    /// `zone_europe_stockholm`: "Europe/Stockholm"
    pub zone_europe_stockholm: String,
    /// `zone_europe_tallinn`: "Europe/Tallinn"
    pub zone_europe_tallinn: String,
    /// `zone_utc`: "UTC"
    pub zone_utc: String,
    /// `in_paths`: "In onboarding paths"
    pub in_paths: String,
    // Module
    /// `take_first`: "Take first"
    pub take_first: String,
    /// `take_first_intro`: "Take these modules in this order before this one:"
    pub take_first_intro: String,
    /// `this_module`: "This module"
    pub this_module: String,
    /// `builds_on_this`: "Builds on this"
    pub builds_on_this: String,
    // Plan: goal cards, charts and their text equivalent
    /// `status`: "Status"
    pub status: String,
    /// `status_reached`: "Reached"
    pub status_reached: String,
    /// `status_on_track`: "On track"
    pub status_on_track: String,
    /// `status_behind`: "Behind"
    pub status_behind: String,
    /// `status_no_data`: "No data"
    pub status_no_data: String,
    /// `stale_data`: "Stale data"
    pub stale_data: String,
    /// `stale_data_text`: "The latest figure is from {date}, older than {n} days."
    pub stale_data_text: String,
    /// `goal_figures`: "Figures: {title}"
    pub goal_figures: String,
    /// `expected_by_then`: "Expected by then"
    pub expected_by_then: String,
    /// `progress`: "Progress"
    pub progress: String,
    /// `progress_value`: "{n}% of the way"
    pub progress_value: String,
    /// `legend_bar`: "latest figure"
    pub legend_bar: String,
    /// `legend_bar_behind`: "behind plan"
    pub legend_bar_behind: String,
    /// `legend_expected`: "expected by then"
    pub legend_expected: String,
    /// `legend_bands`: "thirds of the way to the target"
    pub legend_bands: String,
    /// `legend_spark`: "monthly figures, dashed: the straight line to the target"
    pub legend_spark: String,
    // Onboarding path: ticking steps off (static/path.js)
    /// `hours_short`: "h"
    pub hours_short: String,
    /// `path_progress`: "{n} of {total} done · {time} left"
    pub path_progress: String,
    /// `path_progress_count`: "{n} of {total} done"
    pub path_progress_count: String,
    /// `path_progress_all`: "All {total} steps done"
    pub path_progress_all: String,
    /// `path_progress_label`: "Your progress"
    pub path_progress_label: String,
    /// `step_done`: "Done"
    pub step_done: String,
    /// `mark_step_done`: "Mark this step done"
    pub mark_step_done: String,
    /// `path_export`: "Export checklist"
    pub path_export: String,
    /// `path_export_hint`: "Copies your progress as a Markdown checklist, for example for your 1:1 with your manager."
    pub path_export_hint: String,
    /// `path_export_copied`: "Copied: paste it into your notes for the 1:1."
    pub path_export_copied: String,
    /// `path_export_fallback`: "Copying is not available here: the text below is selected, copy it with Ctrl+C (⌘C on a Mac)."
    pub path_export_fallback: String,
    /// `path_export_label`: "Your progress as Markdown"
    pub path_export_label: String,
    /// `path_kept_locally`: "Your ticks are kept in this browser only."
    pub path_kept_locally: String,
    /// `in_path_label`: "Onboarding"
    pub in_path_label: String,
    /// `path_step_of`: "step {n} of {total}"
    pub path_step_of: String,
    /// `previous_step`: "Previous"
    pub previous_step: String,
    /// `next_step`: "Next"
    pub next_step: String,
    /// `path_nav_label`: "{path}: previous and next step"
    pub path_nav_label: String,
    // Search (partials/search.html, static/search.js)
    /// `search_label`: "Search the handbook"
    pub search_label: String,
    /// `search_placeholder`: "Search"
    pub search_placeholder: String,
    /// `search_needs_js`: "Search needs JavaScript."
    pub search_needs_js: String,
    /// `search_kind_page`: "Page"
    pub search_kind_page: String,
    /// `search_kind_expert`: "Expert"
    pub search_kind_expert: String,
    /// `search_kind_module`: "Training"
    pub search_kind_module: String,
    /// `search_kind_path`: "Onboarding path"
    pub search_kind_path: String,
    /// `search_results`: "{n} results"
    pub search_results: String,
    /// `search_results_one`: "1 result"
    pub search_results_one: String,
    /// `search_no_results`: "Nothing found for “{q}”."
    pub search_no_results: String,
    /// `search_in_section`: "In “{section}”"
    pub search_in_section: String,
    /// `search_error`: "Search is not available right now."
    pub search_error: String,
    // Alerts in page bodies (> [!NOTE] and the like): their titles
    /// `alert_note`: "Note"
    pub alert_note: String,
    /// `alert_tip`: "Tip"
    pub alert_tip: String,
    /// `alert_important`: "Important"
    pub alert_important: String,
    /// `alert_warning`: "Warning"
    pub alert_warning: String,
    /// `alert_caution`: "Caution"
    pub alert_caution: String,
    // Calendar files (.ics): lines of an event's description
    /// `calendar_sign_up`: "Sign up: {url}"
    pub calendar_sign_up: String,
    /// `calendar_online`: "Online: {url}"
    pub calendar_online: String,
    // Guidelines poster: the start of its text equivalent (alt)
    /// `poster_alt`: "{title}, {n} rules."
    pub poster_alt: String,
    // Plan goals measured from the handbook (plan.html): where each figure comes from
    /// `source_activity`: "Measured from the handbook: {what} ({n})"
    pub source_activity: String,
    /// `measure_share_of_staff`: "share of experts with at least one shared item a month"
    pub measure_share_of_staff: String,
    /// `measure_share_of_staff_outside`: "share of experts outside {teams} with at least one shared item a month"
    pub measure_share_of_staff_outside: String,
    /// `measure_people`: "experts with at least one shared item a month"
    pub measure_people: String,
    /// `measure_people_outside`: "experts outside {teams} with at least one shared item a month"
    pub measure_people_outside: String,
    /// `measure_items`: "items shared a month"
    pub measure_items: String,
    /// `measure_items_outside`: "items shared a month by experts outside {teams}"
    pub measure_items_outside: String,
    /// `source_profiles`: "{n} profiles"
    pub source_profiles: String,
    /// `source_staff`: "of {n} staff"
    pub source_staff: String,
    /// `source_channels`: "Counted on: {channels}."
    pub source_channels: String,
    /// `source_csv`: "From {file} (column {column})"
    pub source_csv: String,
    /// `goal_months`: "Figures by month"
    pub goal_months: String,
    /// `goal_month`: "Month"
    pub goal_month: String,
    /// `goal_figure`: "Figure"
    pub goal_figure: String,
    /// `month_so_far`: "so far"
    pub month_so_far: String,
    // Activity (issue #16): "Recent work", "Recently shared", the feed, the share kit
    /// `recent_work`: "Recent work" (a profile's list of the expert's own public work)
    pub recent_work: String,
    /// `recently_shared`: "Recently shared" (the newest activity items on the home page and a team page)
    pub recently_shared: String,
    /// `activity_upcoming`: "Upcoming" (the badge of an activity item dated after the build day)
    pub activity_upcoming: String,
    /// `activity_post`: "Post"
    pub activity_post: String,
    /// `activity_talk`: "Talk"
    pub activity_talk: String,
    /// `activity_podcast`: "Podcast"
    pub activity_podcast: String,
    /// `activity_video`: "Video"
    pub activity_video: String,
    /// `activity_article`: "Article"
    pub activity_article: String,
    /// `activity_meetup`: "Meetup"
    pub activity_meetup: String,
    /// `activity_other`: "Other"
    pub activity_other: String,
    /// `activity_feed_link`: "Follow as a feed" (the link to activity.xml under "Recently shared")
    pub activity_feed_link: String,
    /// `activity_feed_title`: "{site}: recently shared" (the Atom feed's title and the page head's link to it)
    pub activity_feed_title: String,
    /// `share`: "Share" (beside an activity item on the expert's own profile: the share kit)
    pub share: String,
    /// `share_on`: "Share on {channel}"
    pub share_on: String,
    /// `share_by_email`: "Share by e-mail"
    pub share_by_email: String,
    /// `opens_in_new_tab`: "opens in a new tab"
    pub opens_in_new_tab: String,
    /// `share_note`: "The links carry the campaign tags that show which channels bring readers to the company's pages. The handbook itself tracks nothing."
    pub share_note: String,
}

impl Strings {
    /// The label of an activity type (`activity_<type>`), for the feed's
    /// categories.
    pub(crate) fn activity_type(&self, kind: crate::load::kinds::ActivityType) -> &str {
        use crate::load::kinds::ActivityType as T;
        match kind {
            T::Post => &self.activity_post,
            T::Talk => &self.activity_talk,
            T::Podcast => &self.activity_podcast,
            T::Video => &self.activity_video,
            T::Article => &self.activity_article,
            T::Meetup => &self.activity_meetup,
            T::Other => &self.activity_other,
        }
    }

    /// The strings of `language` from the layered theme: the built-in file,
    /// or the one a theme puts in its place. A file that does not parse or
    /// whose keys are not exactly [`Strings`]'s is reported in `diags`, and
    /// the built-in strings stand in so that the rest of the build can
    /// still report its own problems.
    pub(crate) fn load(theme: &Theme, language: Language, diags: &mut Vec<Diagnostic>) -> Strings {
        let name = file_name(language);
        let Some(file) = theme.files.get(&name) else {
            return Strings::built_in(language);
        };
        if file.origin == Origin::BuiltIn {
            return Strings::built_in(language);
        }
        let text = String::from_utf8_lossy(&file.bytes);
        match parse(&text, &built_in_text(language)) {
            Ok(strings) => strings,
            Err(found) => {
                let shown = file.origin.shown(&name);
                diags.extend(found.into_iter().map(|d| d.in_file(&shown)));
                Strings::built_in(language)
            }
        }
    }

    /// The default theme's strings of `language`. They parse (a unit test
    /// says so); were they ever not to, every label would be empty rather
    /// than the build stopping.
    pub(crate) fn built_in(language: Language) -> Strings {
        crate::yaml::from_str(&built_in_text(language)).unwrap_or_default()
    }

    /// The name of a module's format, as results and filters show it.
    pub(crate) fn format_name(&self, format: Format) -> &str {
        match format {
            Format::Workshop => &self.format_workshop,
            Format::Clinic => &self.format_clinic,
            Format::Coaching => &self.format_coaching,
            Format::Talk => &self.format_talk,
            Format::SelfStudy => &self.format_self_study,
        }
    }
}

/// `strings/en.yaml`: where the strings of `language` are in a theme.
fn file_name(language: Language) -> String {
    format!("strings/{}.yaml", language.code())
}

/// The text of the default theme's strings file of `language`.
fn built_in_text(language: Language) -> String {
    super::theme::built_in(&file_name(language))
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default()
}

/// Reads a strings file: a YAML mapping with exactly the keys of
/// [`Strings`], each a text. `default` is the default theme's file of the
/// same language, quoted in the hints. Every missing and unknown key is
/// reported at once; the values are read only when the keys are right.
fn parse(text: &str, default: &str) -> Result<Strings, Vec<Diagnostic>> {
    let located = |e: crate::yaml::YamlError| {
        let d = Diagnostic::error(e.message).hint(e.hint);
        match e.pos {
            Some(pos) => d.at(text, pos).with_len(e.len),
            None => d,
        }
    };
    // An empty file (or one of comments only) is a mapping without keys.
    let map: Option<serde_json::Map<String, serde_json::Value>> =
        crate::yaml::from_str(text).map_err(|e| vec![located(e)])?;
    let map = map.unwrap_or_default();
    let known = crate::yaml::field_names::<Strings>();
    let mut found = Vec::new();
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        let hint = match suggest(key, known.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? The default theme has:\n{}",
                default_lines(default, &[near])
            ),
            None => "remove it: esiin reads only the keys of the default theme's strings file"
                .to_string(),
        };
        found.push(
            Diagnostic::error(format!("unknown UI string `{key}`"))
                .at(text, crate::config::key_pos(text, key))
                .with_len(key.chars().count())
                .hint(hint),
        );
    }
    let missing: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !map.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        let (s, them) = if missing.len() == 1 {
            ("", "it")
        } else {
            ("s", "them")
        };
        found.push(
            Diagnostic::error(format!("missing UI string{s} {}", listed(&missing))).hint(format!(
                "add {them}; the default theme has:\n{}",
                default_lines(default, &missing)
            )),
        );
    }
    if !found.is_empty() {
        return Err(found);
    }
    crate::yaml::from_str(text).map_err(|e| vec![located(e)])
}

/// `` `a`, `b` and `c` ``.
fn listed(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The lines of `default` that set `keys`, as they are written there.
fn default_lines(default: &str, keys: &[&str]) -> String {
    let lines: Vec<&str> = keys
        .iter()
        .filter_map(|key| {
            default.lines().find(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(':'))
            })
        })
        .collect();
    lines.join("\n")
}

/// `template` with each `{name}` of `args` replaced by its value, in one
/// pass (so a value that itself holds `{n}` stays as it is). Other braces
/// are kept.
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (close, *v))
        });
        match arg {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_strings_have_every_key_in_both_languages() {
        for language in [Language::En, Language::Fi] {
            let text = built_in_text(language);
            let strings = parse(&text, &text).unwrap_or_else(|d| panic!("{language:?}: {d:?}"));
            assert!(!strings.alert_note.is_empty() && !strings.do_.is_empty());
        }
    }

    #[test]
    fn missing_and_unknown_keys_are_all_reported() {
        let default = built_in_text(Language::En);
        let text = default
            .replace("topics_title: \"Topics\"\n", "")
            .replace("alert_note:", "alert_nte:")
            .replace("gaps_title: \"Expertise gaps\"\n", "");
        let errors = parse(&text, &default).expect_err("keys are wrong");
        let messages: Vec<String> = errors.iter().map(|d| d.render(false)).collect();
        assert_eq!(errors.len(), 2, "{messages:#?}");
        assert!(
            messages[0].contains("unknown UI string `alert_nte`"),
            "{}",
            messages[0]
        );
        assert!(
            messages[0].contains("did you mean `alert_note`?"),
            "{}",
            messages[0]
        );
        assert!(
            messages[0].contains("alert_note: \"Note\""),
            "{}",
            messages[0]
        );
        assert!(
            messages[1]
                .contains("missing UI strings `topics_title`, `gaps_title` and `alert_note`"),
            "{}",
            messages[1]
        );
        assert!(
            messages[1].contains("topics_title: \"Topics\""),
            "{}",
            messages[1]
        );
    }

    #[test]
    fn an_empty_file_lacks_every_key() {
        let default = built_in_text(Language::Fi);
        let errors = parse("# nothing yet\n", &default).expect_err("no keys");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .render(false)
                .contains("skip_to_content: \"Siirry sisältöön\"")
        );
    }

    #[test]
    fn fill_replaces_named_placeholders_once() {
        assert_eq!(
            fill("{title}, {n} rules.", &[("title", "A {n}"), ("n", "3")]),
            "A {n}, 3 rules."
        );
        assert_eq!(fill("{other} {n", &[("n", "1")]), "{other} {n");
    }
}
