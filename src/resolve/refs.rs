//! Front-matter references: an owner, trainers, prerequisites (and their
//! cycles), plan owners, path steps, materials, and the files a page names
//! (a guidelines image, an expert's photo), each resolved to a [`PageId`]
//! or reported where it is written.

use std::collections::HashSet;

use crate::diag::{Diagnostic, suggest};
use crate::load::kinds::{Expert, Guidelines, Module, Plan};
use crate::load::{Kind, KindData, Page};

use super::{Material, PageId, PendingAnchor, Refs, Site, Target, links};

impl Site {
    /// Indexes experts and modules by file stem and by id, for
    /// [`Site::find_kind`].
    pub(super) fn name_experts_and_modules(&mut self) {
        let mut named = std::mem::take(&mut self.named);
        for (id, p) in self.pages() {
            if matches!(p.kind, Kind::Expert | Kind::Module) {
                named
                    .entry((p.kind, p.stem().to_string()))
                    .or_default()
                    .push(id);
                if p.id != p.stem() {
                    named.entry((p.kind, p.id.clone())).or_default().push(id);
                }
            }
        }
        self.named = named;
    }

    /// Resolves every page's references into its node. Returns the anchors
    /// they name, to check once the pages are rendered.
    pub(super) fn resolve_refs(&mut self, diags: &mut Vec<Diagnostic>) -> Vec<PendingAnchor> {
        let mut pending = Vec::new();
        let refs: Vec<Refs> = self
            .ids()
            .map(|id| self.page_refs(id, &mut pending, diags))
            .collect();
        for (node, refs) in self.nodes.iter_mut().zip(refs) {
            node.refs = refs;
        }
        pending
    }

    /// Looks up an expert or a module by id (`experts/mari`) or file stem.
    pub(crate) fn find_kind(&self, kind: Kind, name: &str) -> Result<PageId, String> {
        let name = name.trim().trim_end_matches(".md");
        let found = self.named.get(&(kind, name.to_string()));
        match found.map_or(&[][..], Vec::as_slice) {
            [one] => Ok(*one),
            [] => {
                let names = self
                    .pages()
                    .filter(|(_, p)| p.kind == kind)
                    .map(|(_, p)| p.stem());
                let hint = match suggest(name, names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("name an existing {kind} by its file name without `.md`"),
                };
                let draft = self
                    .drafts
                    .iter()
                    .any(|d| d.trim_end_matches(".md").rsplit('/').next() == Some(name));
                Err(if draft {
                    format!(
                        "`{name}` is a draft: publish it (remove `draft: true`) or build with `--drafts`"
                    )
                } else {
                    hint
                })
            }
            many => Err(format!(
                "`{name}` is ambiguous: write the full id, one of {}",
                many.iter()
                    .map(|&i| format!("`{}`", self.page(i).id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The references of page `i`, and the checks of its kind's fields
    /// that need the rest of the site.
    fn page_refs(
        &self,
        i: PageId,
        pending: &mut Vec<PendingAnchor>,
        diags: &mut Vec<Diagnostic>,
    ) -> Refs {
        let p = self.page(i);
        let mut refs = Refs::default();
        if let Some(owner) = &p.common.owner {
            refs.owner = self.find_named(p, Kind::Expert, "owner", owner, diags);
        }
        match &p.data {
            KindData::Module(m) => self.module_refs(i, m, &mut refs, pending, diags),
            KindData::Plan(plan) => {
                for o in &plan.owners {
                    refs.plan_owners
                        .extend(self.find_named(p, Kind::Expert, "owners", o, diags));
                }
                check_plan(p, plan, diags);
            }
            KindData::Path(path) => {
                for s in &path.steps {
                    refs.steps
                        .extend(self.page_ref_at(i, "page", &s.page, pending, diags));
                }
            }
            KindData::Guidelines(g) => self.check_guidelines(i, g, diags),
            KindData::Expert(e) => self.check_photo(i, e, diags),
            _ => {}
        }
        refs
    }

    /// An expert or module named in `key` of page `p`, or an error there.
    fn find_named(
        &self,
        p: &Page,
        kind: Kind,
        key: &str,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<PageId> {
        match self.find_kind(kind, name) {
            Ok(j) => Some(j),
            Err(hint) => {
                diags.push(
                    p.src
                        .error_at_key(key, Some(name), format!("`{key}` names no {kind} `{name}`"))
                        .hint(hint),
                );
                None
            }
        }
    }

    /// The page that `r` (in `key` of page `from`) names, its anchor noted
    /// in `pending`; or an error there.
    fn page_ref_at(
        &self,
        from: PageId,
        key: &str,
        r: &str,
        pending: &mut Vec<PendingAnchor>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<PageId> {
        let p = self.page(from);
        match self.resolve_page_ref(from, r) {
            Ok((j, anchor)) => {
                if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                    pending.push(self.pending_anchor(p, key, r, j, anchor));
                }
                Some(j)
            }
            Err(e) => {
                diags.push(p.src.error_at_key(key, Some(r), e.message).hint(e.hint));
                None
            }
        }
    }

    /// The `#anchor` of `written` (in `key` of page `p`) to look for in
    /// page `target` once it is rendered.
    fn pending_anchor(
        &self,
        p: &Page,
        key: &str,
        written: &str,
        target: PageId,
        anchor: String,
    ) -> PendingAnchor {
        PendingAnchor {
            target,
            error: p
                .src
                .error_at_key(
                    key,
                    Some(written),
                    format!(
                        "`{written}`: `{}` has no heading `#{anchor}`",
                        self.page(target).src.rel.display()
                    ),
                )
                .hint(super::links::ANCHOR_HINT),
            anchor,
        }
    }

    /// A module's trainers, prerequisites (not itself) and materials.
    fn module_refs(
        &self,
        i: PageId,
        m: &Module,
        refs: &mut Refs,
        pending: &mut Vec<PendingAnchor>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let p = self.page(i);
        for t in &m.trainers {
            refs.trainers
                .extend(self.find_named(p, Kind::Expert, "trainers", t, diags));
        }
        for t in &m.prerequisites {
            let Some(j) = self.find_named(p, Kind::Module, "prerequisites", t, diags) else {
                continue;
            };
            if j == i {
                diags.push(
                    p.src
                        .error_at_key(
                            "prerequisites",
                            Some(t),
                            "a module cannot be its own prerequisite".into(),
                        )
                        .hint("remove it from `prerequisites`"),
                );
            } else {
                refs.prerequisites.push(j);
            }
        }
        for m in &m.materials {
            let url = m.url.trim();
            if links::is_external(url) {
                refs.materials.push(Material::External(url.to_string()));
                continue;
            }
            match self.resolve_link(i, url) {
                Ok(Target::Page { page, anchor }) => {
                    if let Some(anchor) = anchor.clone().filter(|a| !a.is_empty()) {
                        pending.push(self.pending_anchor(p, "url", url, page, anchor));
                    }
                    refs.materials.push(Material::Page(page, anchor))
                }
                Ok(Target::Asset { path }) => refs.materials.push(Material::Asset(path)),
                Ok(Target::SiteUrl { url }) => refs.materials.push(Material::SiteUrl(url)),
                Ok(Target::External) => refs.materials.push(Material::External(url.into())),
                Err(e) => diags.push(p.src.error_at_key("url", Some(url), e.message).hint(e.hint)),
            }
        }
    }

    /// A guidelines page: `image` with `alt`, an image that is no page, and
    /// rules that say something.
    fn check_guidelines(&self, i: PageId, g: &Guidelines, diags: &mut Vec<Diagnostic>) {
        let p = self.page(i);
        if g.image.is_some() != g.alt.is_some() {
            diags.push(
                p.src
                    .error_at_key(if g.image.is_some() { "image" } else { "alt" }, None, "`image` and `alt` go together".into())
                    .hint("describe the picture in `alt:` for people who cannot see it, or remove `image`"),
            );
        }
        if let Some(img) = &g.image {
            match self.resolve_link(i, img) {
                Ok(Target::Asset { .. } | Target::External | Target::SiteUrl { .. }) => {}
                Ok(Target::Page { .. }) => diags.push(
                    p.src
                        .error_at_key(
                            "image",
                            Some(img),
                            format!("`{img}` is a page, not an image"),
                        )
                        .hint("name an image file beside the page"),
                ),
                Err(e) => diags.push(
                    p.src
                        .error_at_key("image", Some(img), e.message)
                        .hint(e.hint),
                ),
            }
        }
        // A stand-in for a page with front-matter errors (no title
        // of its own, see `load::page::stand_in`) has no rules:
        // its own errors are reported already.
        let stand_in = p.common.title.is_none();
        if g.rules.is_empty() && g.image.is_none() && !stand_in {
            diags.push(
                p.src
                    .error_at_key("rules", None, "the guidelines have no rules".into())
                    .hint("add `rules:` with items `{do: …, dont: …}`, or `image:` and `alt:`"),
            );
        }
        for r in &g.rules {
            if r.do_.is_none() && r.dont.is_none() {
                diags.push(
                    p.src
                        .error_at_key("rules", None, "a rule has neither `do` nor `dont`".into())
                        .hint("write `- do: …` and/or `dont: …`"),
                );
            }
        }
    }

    /// An expert's `photo`: an image file beside the page, or on the web.
    fn check_photo(&self, i: PageId, e: &Expert, diags: &mut Vec<Diagnostic>) {
        let Some(photo) = &e.photo else { return };
        let p = self.page(i);
        match self.resolve_link(i, photo) {
            Ok(Target::Asset { .. } | Target::External) => {}
            Ok(_) => diags.push(
                p.src
                    .error_at_key(
                        "photo",
                        Some(photo),
                        format!("`{photo}` is not an image file"),
                    )
                    .hint("name an image file beside the page, e.g. `photo: mari.jpg`"),
            ),
            Err(_) => diags.push(
                p.src
                    .error_at_key(
                        "photo",
                        Some(photo),
                        format!("the photo `{photo}` does not exist"),
                    )
                    .hint("put the image beside the page and give its file name"),
            ),
        }
    }

    /// Prerequisites that lead back to the module: one error per cycle, at
    /// the prerequisite that closes it.
    pub(super) fn check_prerequisite_cycles(&self, diags: &mut Vec<Diagnostic>) {
        // Colours: 0 unvisited, 1 on the stack, 2 done.
        let mut colour = vec![0u8; self.len()];
        let mut reported = HashSet::new();
        for start in self.ids() {
            if colour[start.index()] != 0 || self.node(start).refs.prerequisites.is_empty() {
                continue;
            }
            let mut stack: Vec<(PageId, usize)> = vec![(start, 0)];
            colour[start.index()] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = self.node(node).refs.prerequisites.get(*next) {
                    *next += 1;
                    match colour[dep.index()] {
                        0 => {
                            colour[dep.index()] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                            let cycle: Vec<PageId> =
                                stack[from..].iter().map(|&(n, _)| n).collect();
                            let mut key: Vec<PageId> = cycle.clone();
                            key.sort();
                            if reported.insert(key) {
                                let names: Vec<&str> = cycle
                                    .iter()
                                    .chain(std::iter::once(&dep))
                                    .map(|&n| self.page(n).stem())
                                    .collect();
                                let p = self.page(node);
                                diags.push(
                                    p.src
                                        .error_at_key("prerequisites", Some(self.page(dep).stem()), format!("prerequisites form a cycle: {}", names.join(" → ")))
                                        .hint("remove one of these prerequisites so the modules can be taken in some order"),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[node.index()] = 2;
                    stack.pop();
                }
            }
        }
    }

    /// Every transitive prerequisite of module `m`, in an order they can be
    /// taken (each after its own prerequisites).
    pub(crate) fn path_before(&self, m: PageId) -> Vec<PageId> {
        fn visit(site: &Site, m: PageId, seen: &mut Vec<bool>, out: &mut Vec<PageId>) {
            for &p in &site.node(m).refs.prerequisites {
                if !seen[p.index()] {
                    seen[p.index()] = true;
                    visit(site, p, seen, out);
                    out.push(p);
                }
            }
        }
        let mut seen = vec![false; self.len()];
        seen[m.index()] = true;
        let mut out = Vec::new();
        visit(self, m, &mut seen, &mut out);
        out
    }
}

/// A plan's goals have ids of their own, and its period runs forward.
fn check_plan(p: &Page, plan: &Plan, diags: &mut Vec<Diagnostic>) {
    let mut ids = HashSet::new();
    for g in &plan.goals {
        if !ids.insert(g.id.as_str()) {
            diags.push(
                p.src
                    .error_at_key(
                        "id",
                        Some(&g.id),
                        format!("two goals have the id `{}`", g.id),
                    )
                    .hint("give every goal its own `id`"),
            );
        }
    }
    if let Some(period) = &plan.period
        && period.end < period.start
    {
        diags.push(
            p.src
                .error_at_key(
                    "period",
                    None,
                    "the plan's period ends before it starts".into(),
                )
                .hint("`period.start` must be on or before `period.end`"),
        );
    }
}
