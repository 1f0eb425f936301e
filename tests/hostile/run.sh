#!/usr/bin/env bash
# The hostile-input table of issue #10, by hand (not part of `cargo test`:
# each rule has its own integration tests in tests/suite/trust_*.rs).
# Each case breaks a fresh copy of the example handbook after one good
# build (the "previous output"), runs the command under a time and memory
# limit, and classifies what happened:
#   panic       the process panicked
#   hang        killed by the time limit (or the memory limit)
#   unlocated   an error or warning without `file[:line:col]: ` or `= help:`
#               (a message about a folder names it in backquotes instead:
#               counted here all the same)
#   exposed     outside data, a script URL or raw script reached public/
#               (output family: a folder esiin did not write was destroyed)
#   silent      exit 0 where an error was due
#   lost        a failed run changed the previous output
#
#   tests/hostile/run.sh [ESIIN_BINARY]    (default: target/debug/esiin)
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
BIN=$(realpath "${1:-target/debug/esiin}")
T=${T:-30}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/esiin-hostile-XXXX")
trap 'rm -rf "$WORK"' EXIT
OUTSIDE=$WORK/outside
mkdir -p "$OUTSIDE/dir"
echo "SECRET-OUTSIDE-42" > "$OUTSIDE/secret.txt"
printf -- '---\ntitle: Outside SECRET-OUTSIDE-42\n---\nSECRET-OUTSIDE-42\n' > "$OUTSIDE/page.md"
echo "SECRET-OUTSIDE-42" > "$OUTSIDE/dir/inner.txt"
printf '{%% extends "base.html" %%}{%% block content %%}SECRET-OUTSIDE-42{%% endblock %%}' > "$OUTSIDE/page.html"
declare -A N P H U X L S
fams=()
PAGE=content/guide/finding-your-channel.md

run_case() { # family name command expect(error|ok) detector setup
  local fam=$1 name=$2 cmd=$3 expect=$4 detect=$5 setup=$6
  [[ " ${fams[*]} " == *" $fam "* ]] || fams+=("$fam")
  local d=$WORK/c-$fam-$name
  mkdir -p "$d"
  cp -r "$REPO/content" "$REPO/data" "$REPO/handbook.yaml" "$d/"
  (cd "$d" && timeout 60 "$BIN" build >/dev/null 2>&1)
  (cd "$d" && eval "$setup")
  # After the breakage, which may replace the output itself (a link).
  local before
  before=$(cd "$d" && find -L public -type f -exec md5sum {} + 2>/dev/null | sort | md5sum)
  # shellcheck disable=SC2086 # the command is words
  (cd "$d" && ulimit -v 4000000 && timeout "$T" "$BIN" $cmd >"$d/out" 2>"$d/err" </dev/null)
  local rc=$? v=""
  N[$fam]=$((${N[$fam]:-0} + 1))
  if grep -q panicked "$d/out" "$d/err"; then P[$fam]=$((${P[$fam]:-0} + 1)); v+=" panic"; fi
  if [ $rc -ge 124 ]; then H[$fam]=$((${H[$fam]:-0} + 1)); v+=" hang($rc)"; fi
  local unl
  unl=$(awk '/^(error|warning): /{ if (blk && !help) bad++; blk=1; help=0;
             if ($0 !~ /^(error|warning): [^ ]+(:[0-9]+:[0-9]+)?: /) bad++ }
             /= help:/{help=1} END{ if (blk && !help) bad++; print bad+0 }' "$d/err")
  if [ "$unl" -gt 0 ]; then U[$fam]=$((${U[$fam]:-0} + 1)); v+=" unlocated($unl)"; fi
  if [ $rc -eq 0 ] && [ "$expect" = error ]; then S[$fam]=$((${S[$fam]:-0} + 1)); v+=" silent"; fi
  if [ -n "$detect" ] && (cd "$d" && eval "$detect"); then X[$fam]=$((${X[$fam]:-0} + 1)); v+=" EXPOSED"; fi
  if [ $rc -ne 0 ]; then
    local after
    after=$(cd "$d" && find -L public -type f -exec md5sum {} + 2>/dev/null | sort | md5sum)
    [ "$before" = "$after" ] || { L[$fam]=$((${L[$fam]:-0} + 1)); v+=" LOST"; }
  fi
  printf '%-9s %-18s %-22s exit %-3s%s\n' "$fam" "$name" "$cmd" "$rc" "$v" >&2
  rm -rf "$d"
}

SECRET='grep -rqs SECRET-OUTSIDE-42 public || grep -rqs "PATH=/" public || grep -rqs "root:x:0" public'
JS='grep -rqsiE "(href|src)=\"[[:space:]]*(javascript|data|vbscript|java.script)" public'
HTML='grep -rqsE "<script>alert|onerror=|onload=alert|<iframe" public'
sub_channel() { echo "sed -i 's#linkedin: https://www.linkedin.com/in/mari-oksanen-kuulas#linkedin: \"$1\"#' content/experts/mari-oksanen.md"; }
append() { echo "printf '\n$1\n' >> $PAGE"; }

# 1. Symlinks leaving the root.
run_case symlink environ build error "$SECRET" 'ln -s /proc/self/environ content/guide/env.txt'
run_case symlink passwd build error "$SECRET" 'ln -s /etc/passwd content/guide/passwd.txt'
run_case symlink folder build error "$SECRET" "ln -s $OUTSIDE/dir content/guide/outdir"
run_case symlink page build error "$SECRET" "ln -s $OUTSIDE/page.md content/guide/out.md"
run_case symlink static build error "$SECRET" "mkdir -p static && ln -s $OUTSIDE/secret.txt static/s.txt"
run_case symlink static-dir build error "$SECRET" "ln -s $OUTSIDE/dir static"
run_case symlink template build error "$SECRET" "mkdir -p templates && ln -s $OUTSIDE/page.html templates/page.html"
run_case symlink theme build error "$SECRET" "mkdir -p themes/x/templates && ln -s $OUTSIDE/page.html themes/x/templates/page.html && echo 'theme: x' >> handbook.yaml"
run_case symlink environ check error "" 'ln -s /proc/self/environ content/guide/env.txt'
run_case symlink page check error "" "ln -s $OUTSIDE/page.md content/guide/out.md"
# 2. Special and huge files.
for c in build check; do
  run_case special zero-md $c error "" 'ln -s /dev/zero content/guide/zero.md'
  run_case special zero-bin $c error "" 'ln -s /dev/zero content/guide/zero.bin'
  run_case special fifo-md $c error "" 'mkfifo content/guide/pipe.md'
  run_case special fifo-txt $c error "" 'mkfifo content/guide/p.txt'
  run_case special 9mb-page $c error "" "python3 -c \"open('content/guide/big.md','w').write('---\ntitle: Big\n---\n'+'a'*9000000)\""
done
# 3. URL schemes.
run_case url channel build error "$JS" "$(sub_channel 'javascript:alert(1)')"
run_case url channel-case build error "$JS" "$(sub_channel 'JaVaScRiPt:alert(1)')"
run_case url channel-space build error "$JS" "$(sub_channel '  javascript:alert(1)')"
run_case url channel-tab build error "$JS" "$(sub_channel 'java\\tscript:alert(1)')"
run_case url materials build error "$JS" "sed -i 's#url: https://git.kuulas.example/marketing/templates/-/tree/main/slides#url: \"javascript:alert(1)\"#' content/training/presentation-training.md"
run_case url signup build error "$JS" "sed -i 's#signup_url: https://forms.kuulas.example/training/presentation-2027-01#signup_url: \"javascript:alert(1)\"#' content/training/presentation-training.md"
run_case url online build error "$JS" "sed -i '0,/    seats: 10/s##    online_url: \"javascript:alert(1)\"\n    seats: 10#' content/training/presentation-training.md"
run_case url md-inline build error "$JS" "$(append '[x](javascript:alert(1))')"
run_case url md-ref build error "$JS" "$(append '[x][r]\n\n[r]: javascript:alert(1)')"
run_case url md-auto build error "$JS" "$(append '<javascript:alert(1)>')"
run_case url md-image build error "$JS" "$(append '![x](javascript:alert(1))')"
run_case url md-data build error "$JS" "$(append '[x](data:text/html,hi)')"
run_case url md-vbscript build error "$JS" "$(append '[x](vbscript:msgbox)')"
run_case url edit-url build error "$JS" "sed -i 's#edit_url: .*#edit_url: \"javascript:alert(1)//{path}\"#' handbook.yaml"
# 4. Raw HTML (sanitized, so the build passes) and control characters.
run_case html script build ok "$HTML" "$(append '<script>alert(1)</script>')"
run_case html img-onerror build ok "$HTML" "$(append 'See <img src=x onerror=alert(1)> here')"
run_case html iframe build ok "$HTML" "$(append '<iframe src=\"https://evil.example\"></iframe>')"
run_case html a-javascript build ok "$JS" "$(append '<a href=\"javascript:alert(1)\">x</a>')"
run_case html svg-onload build ok "$HTML" "$(append '<svg onload=alert(1)></svg>')"
run_case html nul-title build error "grep -rqsP '\\x00' public" "sed -i '0,/^title: .*/s//title: \"Find\\\\0ing\"/' $PAGE"
# 5. Scale.
run_case scale topics-10k build ok "" "python3 -c \"import re;p='content/experts/mari-oksanen.md';s=open(p).read();s=re.sub(r'topics: \\[.*\\]','topics: ['+', '.join('topic%d'%i for i in range(10000))+']',s);open(p,'w').write(s)\""
run_case scale tags-10k build ok "" "python3 -c \"p='$PAGE';s=open(p).read();s=s.replace('---\n','---\ntags: ['+', '.join('tag%d'%i for i in range(10000))+']\n',1);open(p,'w').write(s)\""
run_case scale title-10mb build error "" "python3 -c \"import re;p='$PAGE';s=open(p).read();s=re.sub(r'(?m)^title: .*$','title: '+'a'*10_000_000,s,1);open(p,'w').write(s)\""
# 6. The output folder.
run_case output unrelated "build --output victim" error 'test ! -f victim/keep.txt' 'mkdir victim && echo keep > victim/keep.txt'
run_case output symlink build error 'test ! -f other/keep.txt' 'rm -rf public && mkdir other && echo keep > other/keep.txt && ln -s other public'
# 7. Static files over generated pages.
run_case override home build error "" 'mkdir -p static && echo "<p>static home</p>" > static/index.html'
run_case override plan build error "" 'mkdir -p static/plan && echo "<p>static plan</p>" > static/plan/index.html'
# 9. Located messages with hints.
run_case message dup-key build error "" "sed -i 's/^weight: 50/weight: 50\ntopics: [again]/' content/experts/mari-oksanen.md"
run_case message duration build error "" "sed -i 's/^duration: 180/duration: -180/' content/training/presentation-training.md"
run_case message bom build ok "" "printf '\xef\xbb\xbf' | cat - handbook.yaml > h && mv h handbook.yaml"
run_case message include build error "" 'mkdir -p templates && printf "{%% include \"nope.html\" %%}" > templates/page.html'
run_case message filter build error "" 'mkdir -p templates && printf "{%% extends \"base.html\" %%}{%% block content %%}{{ page.title | nofilter }}{%% endblock %%}" > templates/page.html'
run_case message circular build error "" 'mkdir -p templates && printf "{%% extends \"b.html\" %%}" > templates/a.html && printf "{%% extends \"a.html\" %%}" > templates/b.html && printf "{%% extends \"a.html\" %%}" > templates/page.html'
run_case message no-content build error "" 'rm -rf content'

echo "| family | cases | panics | hangs | unlocated or no hint | data exposed | silent | output lost |"
echo "|---|---|---|---|---|---|---|---|"
for f in "${fams[@]}"; do
  echo "| $f | ${N[$f]:-0} | ${P[$f]:-0} | ${H[$f]:-0} | ${U[$f]:-0} | ${X[$f]:-0} | ${S[$f]:-0} | ${L[$f]:-0} |"
done
