//! Inputs the fuzzer (`fuzz/run`) found that crashed a build, each also
//! kept in `fuzz/corpus/handbook/`: the build must succeed or fail with
//! diagnostics, never panic.

use crate::support::Handbook;

/// Steps whose minutes each fit a `u32` but whose sum does not: the path's
/// total overflowed (a panic in debug builds, a wrong total in release).
/// The total saturates instead.
#[test]
fn path_total_of_huge_step_minutes_does_not_overflow() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "content/onboarding/long.md",
        "---\ntitle: Long\nsteps:\n  - {page: ../guidelines.md, minutes: 4294967295}\n  \
         - {page: ../plan.md, minutes: 1}\n---\n",
    );
    hb.build_ok().assert_no_panic();
    let html = hb.page("onboarding/long/index.html");
    assert!(
        html.contains("71582788 h 15 min"),
        "the total is u32::MAX minutes"
    );
}

/// A plan figure beyond what an integer holds: the theme wrote a whole
/// float as an integer (`v | int`), which failed the build with a template
/// error pointing into the built-in theme. Such figures are shown as
/// written.
#[test]
fn plan_figure_too_large_for_an_integer_is_shown() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/plan.md", "value: 1480", "value: 1e39");
    hb.build_ok().assert_no_panic();
    let plan = hb.page("plan/index.html");
    assert!(
        plan.contains("1200") && plan.contains("3000"),
        "the other figures are shown"
    );
}
