//! The share kit (issue #16): on the expert's own profile, beside each
//! activity item whose address is on one of the company's domains
//! (`handbook.yaml`'s `share: {domains, campaign}`), ready-made share links
//! for the channels the expert uses — LinkedIn, X, Mastodon on their own
//! instance, Bluesky — and e-mail. The shared address carries
//! `utm_source=<channel>&utm_medium=social&utm_campaign=<campaign>&utm_content=<expert id>`,
//! so the company's web analytics can read social referrals by channel for
//! the plan's goal. Plain links, no script: the handbook itself tracks
//! nothing, and nobody is asked to share.

use serde::Serialize;

use crate::config::Share;
use crate::text::encode_component;

/// One share link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ShareLink {
    /// `linkedin`, `x`, `mastodon`, `bluesky` or `email`: the
    /// `utm_source`, and the theme's class.
    pub channel: &'static str,
    /// The channel's name as shown ("LinkedIn"), for `t.share_on`.
    pub name: &'static str,
    pub url: String,
}

/// Whether `url`'s host is one of `share.domains` or a subdomain of one.
pub(crate) fn on_company_domain(share: &Share, url: &str) -> bool {
    let Some(host) = crate::url::http_host(url) else {
        return false;
    };
    share.domains.iter().any(|d| {
        let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
        !d.is_empty()
            && (host == d
                || host
                    .strip_suffix(&d)
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

/// `url` with the campaign parameters for `source` appended to its query
/// (after an existing one, before a `#fragment`), each value
/// percent-encoded.
pub(crate) fn tagged(url: &str, source: &str, campaign: &str, expert: &str) -> String {
    let url = url.trim();
    let (head, fragment) = url.find('#').map_or((url, ""), |i| url.split_at(i));
    let sep = match head.find('?') {
        None => "?",
        Some(_) if head.ends_with('?') || head.ends_with('&') => "",
        Some(_) => "&",
    };
    format!(
        "{head}{sep}utm_source={}&utm_medium=social&utm_campaign={}&utm_content={}{fragment}",
        encode_component(source),
        encode_component(campaign),
        encode_component(expert),
    )
}

/// The share links of an item (`url`, `title`) of the expert `expert`
/// (their id) who lists `channels`: one per channel that can share, in
/// the order written, then e-mail. Every link passes `url::check`.
pub(crate) fn links(
    share: &Share,
    url: &str,
    title: &str,
    expert: &str,
    channels: &[(String, String)],
) -> Vec<ShareLink> {
    let tag = |source: &str| tagged(url, source, &share.campaign, expert);
    let with_title = |source: &str| encode_component(&format!("{title} {}", tag(source)));
    let mut out: Vec<ShareLink> = Vec::new();
    for (name, value) in channels {
        let link = match name.as_str() {
            "linkedin" => ShareLink {
                channel: "linkedin",
                name: "LinkedIn",
                url: format!(
                    "https://www.linkedin.com/sharing/share-offsite/?url={}",
                    encode_component(&tag("linkedin"))
                ),
            },
            "x" | "twitter" => ShareLink {
                channel: "x",
                name: "X",
                url: format!(
                    "https://x.com/intent/post?url={}&text={}",
                    encode_component(&tag("x")),
                    encode_component(title)
                ),
            },
            "mastodon" => match mastodon_instance(value) {
                Some(host) => ShareLink {
                    channel: "mastodon",
                    name: "Mastodon",
                    url: format!("https://{host}/share?text={}", with_title("mastodon")),
                },
                None => continue,
            },
            "bluesky" => ShareLink {
                channel: "bluesky",
                name: "Bluesky",
                url: format!(
                    "https://bsky.app/intent/compose?text={}",
                    with_title("bluesky")
                ),
            },
            _ => continue,
        };
        if !out.iter().any(|l| l.channel == link.channel) {
            out.push(link);
        }
    }
    out.push(ShareLink {
        channel: "email",
        name: "E-mail",
        url: format!(
            "mailto:?subject={}&body={}",
            encode_component(title),
            encode_component(&tag("email"))
        ),
    });
    out.retain(|l| crate::url::check(&l.url).is_ok());
    out
}

/// The instance of a Mastodon handle (`@user@instance`, `user@instance`)
/// or profile URL (`https://instance/@user`): a host name only, so that
/// nothing else can be put into the share link's address.
fn mastodon_instance(value: &str) -> Option<String> {
    let v = value.trim();
    let host = match crate::url::http_host(v) {
        Some(h) => h,
        None => v
            .trim_start_matches('@')
            .split_once('@')?
            .1
            .to_ascii_lowercase(),
    };
    let ok = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    ok.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share() -> Share {
        Share {
            domains: vec!["kuulas.example".into()],
            campaign: "expert-visibility".into(),
        }
    }

    #[test]
    fn the_campaign_goes_into_the_query_before_the_fragment() {
        assert_eq!(
            tagged(
                "https://kuulas.example/blog/a?a=1#x",
                "linkedin",
                "expert-visibility",
                "mari-oksanen"
            ),
            "https://kuulas.example/blog/a?a=1&utm_source=linkedin&utm_medium=social&utm_campaign=expert-visibility&utm_content=mari-oksanen#x"
        );
        assert_eq!(
            tagged(
                "https://kuulas.example/blog/a",
                "email",
                "spring & summer",
                "aino"
            ),
            "https://kuulas.example/blog/a?utm_source=email&utm_medium=social&utm_campaign=spring%20%26%20summer&utm_content=aino"
        );
        assert_eq!(
            tagged("https://kuulas.example/?", "x", "c", "e"),
            "https://kuulas.example/?utm_source=x&utm_medium=social&utm_campaign=c&utm_content=e"
        );
    }

    #[test]
    fn company_domains_and_their_subdomains_match() {
        let s = share();
        assert!(on_company_domain(&s, "https://kuulas.example/a"));
        assert!(on_company_domain(&s, "https://blog.Kuulas.example:443/a"));
        assert!(!on_company_domain(&s, "https://notkuulas.example/a"));
        assert!(!on_company_domain(
            &s,
            "https://kuulas.example.evil.example/a"
        ));
        assert!(!on_company_domain(
            &s,
            "https://www.linkedin.com/posts/kuulas.example"
        ));
    }

    #[test]
    fn every_channel_gets_its_exact_link() {
        let channels: Vec<(String, String)> = [
            ("github", "mari"),
            ("linkedin", "https://www.linkedin.com/in/mari"),
            ("mastodon", "@mari@mastodon.example"),
            ("x", "@mari"),
            ("bluesky", "mari.bsky.social"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let got = links(
            &share(),
            "https://kuulas.example/blog/a?a=1#x",
            "Tietosuoja & tekoäly",
            "mari-oksanen",
            &channels,
        );
        let tagged = |s: &str| {
            format!(
                "https%3A%2F%2Fkuulas.example%2Fblog%2Fa%3Fa%3D1%26utm_source%3D{s}%26utm_medium%3Dsocial%26utm_campaign%3Dexpert-visibility%26utm_content%3Dmari-oksanen%23x"
            )
        };
        let title = "Tietosuoja%20%26%20teko%C3%A4ly";
        let urls: Vec<(&str, String)> = got.iter().map(|l| (l.channel, l.url.clone())).collect();
        assert_eq!(
            urls,
            [
                (
                    "linkedin",
                    format!(
                        "https://www.linkedin.com/sharing/share-offsite/?url={}",
                        tagged("linkedin")
                    )
                ),
                (
                    "mastodon",
                    format!(
                        "https://mastodon.example/share?text={title}%20{}",
                        tagged("mastodon")
                    )
                ),
                (
                    "x",
                    format!("https://x.com/intent/post?url={}&text={title}", tagged("x"))
                ),
                (
                    "bluesky",
                    format!(
                        "https://bsky.app/intent/compose?text={title}%20{}",
                        tagged("bluesky")
                    )
                ),
                (
                    "email",
                    format!("mailto:?subject={title}&body={}", tagged("email"))
                ),
            ]
        );
    }

    #[test]
    fn a_mastodon_instance_is_a_host_name_only() {
        assert_eq!(
            mastodon_instance("@mari@mastodon.example").as_deref(),
            Some("mastodon.example")
        );
        assert_eq!(
            mastodon_instance("https://Mastodon.example/@mari").as_deref(),
            Some("mastodon.example")
        );
        assert_eq!(mastodon_instance("mari"), None);
        assert_eq!(mastodon_instance("@mari@evil.example/x?y"), None);
    }
}
