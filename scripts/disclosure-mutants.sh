#!/usr/bin/env bash
# Mutation check of the disclosure walk (issue 14): each patch in tests/disclosure/mutants/ re-introduces one
# leak the security review found. For each, a copy of the tree gets the patch and the walk runs against it;
# the walk must FAIL (catch the leak). A patch that no longer applies fails too: re-cut it against the code.
# Usage: scripts/disclosure-mutants.sh [PATCH...]   (default: every patch; DATABASE_URL is honoured)
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
python="${PYTHON:-$root/.venv/bin/python}"
patches=("$@")
[ ${#patches[@]} -eq 0 ] && patches=(tests/disclosure/mutants/*.patch)

# The walk must pass on the tree as it is, or a mutant "caught" would mean nothing.
echo "== baseline: the walk on the unmutated tree"
if ! "$python" -m pytest tests/disclosure -m walk -x -q -p no:cacheprovider > /tmp/hrtc-walk-baseline.log 2>&1; then
    tail -n 30 /tmp/hrtc-walk-baseline.log
    echo "the walk fails without any mutant: fix the leaks (or the walk) first"; exit 1
fi

survived=() ; caught=() ; broken=()
for patch in "${patches[@]}"; do
    name="$(basename "$patch" .patch)"
    work="$(mktemp -d)"
    cp -r src tests pyproject.toml "$work/"
    if ! (cd "$work" && patch -p1 --quiet --forward < "$root/$patch"); then
        echo "!! $name: the patch does not apply"; broken+=("$name"); rm -rf "$work"; continue
    fi
    echo "== $name: $(head -n 1 "$patch" | sed 's/^# //')"
    # The copy's src/ comes first on the path, ahead of the editable install of this checkout.
    if (cd "$work" && PYTHONPATH="$work/src" HRTC_DATA_DIR="$work/var" \
            "$python" -m pytest tests/disclosure -m walk -x -q -p no:cacheprovider > "$work/log" 2>&1); then
        echo "   SURVIVED: the walk passed with the leak in place"; survived+=("$name")
    else
        # What the walk reported: its count of violations and the first causes (not a traceback line).
        echo "   caught: $(grep -m1 -E 'violations in [0-9]+ causes' "$work/log" | sed 's/^E *//')"
        grep -A4 -E 'violations in [0-9]+ causes' "$work/log" | sed -n '3,5p' | sed 's/^E */      /' | cut -c1-160
        grep -q -E 'violations in [0-9]+ causes' "$work/log" || tail -n 5 "$work/log" | sed 's/^/      /'
        caught+=("$name")
    fi
    rm -rf "$work"
done
echo "caught ${#caught[@]}, survived ${#survived[@]}, not applying ${#broken[@]} (of ${#patches[@]})"
[ ${#survived[@]} -eq 0 ] && [ ${#broken[@]} -eq 0 ]
