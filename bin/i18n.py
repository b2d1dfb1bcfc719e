#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translation files of the project's addons (used by bin/i18n-update and bin/test).

i18n.py update ADDON_DIR EXPORTED_POT [--new LANG ...]
    Write ADDON_DIR/i18n/<addon>.pot from a .pot that Odoo exported (volatile
    headers blanked) and merge it into every ADDON_DIR/i18n/*.po with msgmerge: new
    terms stay untranslated (or fuzzy when msgmerge found a near match) for a
    translator; obsolete ones are dropped. --new LANG creates LANG.po when missing.

i18n.py check ADDON_DIR [--fresh-pot EXPORTED_POT]
    Fail when the committed .pot lacks or has extra terms against a fresh export, or
    when a .po is behind the .pot, has untranslated or fuzzy entries, or changes the
    placeholders of a term.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import polib

# Odoo's exporter wraps at 78 (polib's default): files keep one layout.
WRAP = 78
VOLATILE = ("POT-Creation-Date", "PO-Revision-Date")
# %(name)s, %s, %d, {name}, {0}; "%%" and "{{" are literal.
PLACEHOLDER = re.compile(
    r"%%|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sdfr]|\{\{|\{[\w.]*\}"
)


def load(path):
    return polib.pofile(path, wrapwidth=WRAP, encoding="utf-8")


def save(po, path):
    po.wrapwidth = WRAP
    for key in VOLATILE:
        if key in po.metadata:
            po.metadata[key] = ""
    po.save(path)


def msgids(po):
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


def placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text) if p not in ("%%", "{{"))


def new_po(pot, lang):
    po = polib.POFile(wrapwidth=WRAP)
    po.header = pot.header
    po.metadata = dict(pot.metadata)
    po.metadata["Language"] = lang
    po.metadata["Plural-Forms"] = (
        "nplurals=1; plural=0;"
        if lang.split("_")[0] in ("ja", "zh", "ko")
        else "nplurals=2; plural=(n != 1);"
    )
    return po


def update(addon_dir, exported_pot, new_langs):
    addon = os.path.basename(os.path.normpath(addon_dir))
    i18n = os.path.join(addon_dir, "i18n")
    os.makedirs(i18n, exist_ok=True)
    pot_path = os.path.join(i18n, f"{addon}.pot")
    pot = load(exported_pot)
    save(pot, pot_path)
    pot = load(pot_path)
    for lang in new_langs:
        path = os.path.join(i18n, f"{lang}.po")
        if not os.path.exists(path):
            save(new_po(pot, lang), path)
    for name in sorted(os.listdir(i18n)):
        if not name.endswith(".po"):
            continue
        path = os.path.join(i18n, name)
        with tempfile.TemporaryDirectory() as tmp:
            merged = os.path.join(tmp, name)
            subprocess.run(
                [
                    "msgmerge",
                    "--quiet",
                    "--previous",
                    "--no-wrap",
                    "--output-file",
                    merged,
                    path,
                    pot_path,
                ],
                check=True,
            )
            po = load(merged)
        for entry in [e for e in po if e.obsolete]:
            po.remove(entry)
        save(po, path)
        todo = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        done = len(po.translated_entries())
        print(f"{os.path.relpath(path)}: {done} translated, {todo} to translate")


def check(addon_dir, fresh_pot):
    addon = os.path.basename(os.path.normpath(addon_dir))
    i18n = os.path.join(addon_dir, "i18n")
    pot_path = os.path.join(i18n, f"{addon}.pot")
    problems = []
    if not os.path.exists(pot_path):
        problems.append(f"{pot_path} is missing.")
        return problems
    pot = load(pot_path)
    expected = msgids(pot)
    if fresh_pot:
        fresh = msgids(load(fresh_pot))
        missing, extra = fresh - expected, expected - fresh
        if missing or extra:
            problems.append(
                f"{os.path.relpath(pot_path)} is stale: {len(missing)} term(s) "
                f"missing, {len(extra)} no longer used"
                + "".join(
                    f"\n    + {m[1][:70]!r}" for m in sorted(missing, key=str)[:10]
                )
                + "".join(f"\n    - {m[1][:70]!r}" for m in sorted(extra, key=str)[:10])
            )
    for name in sorted(os.listdir(i18n)):
        if not name.endswith(".po"):
            continue
        path = os.path.relpath(os.path.join(i18n, name))
        po = load(os.path.join(i18n, name))
        have = msgids(po)
        if have != expected:
            problems.append(
                f"{path} does not match the .pot: {len(expected - have)} term(s) "
                f"missing, {len(have - expected)} not in the .pot"
            )
        untranslated = [e for e in po.untranslated_entries() if not e.obsolete]
        fuzzy = [e for e in po.fuzzy_entries() if not e.obsolete]
        for label, entries in (("untranslated", untranslated), ("fuzzy", fuzzy)):
            if entries:
                problems.append(
                    f"{path}: {len(entries)} {label} entries"
                    + "".join(f"\n    {e.msgid[:70]!r}" for e in entries[:10])
                    + ("\n    …" if len(entries) > 10 else "")
                )
        for entry in po.translated_entries():
            if placeholders(entry.msgid) != placeholders(entry.msgstr):
                problems.append(
                    f"{path}: placeholders differ {placeholders(entry.msgid)} → "
                    f"{placeholders(entry.msgstr)} in {entry.msgid[:60]!r}"
                )
    return problems


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("update")
    up.add_argument("addon_dir")
    up.add_argument("exported_pot")
    up.add_argument("--new", nargs="*", default=[], metavar="LANG")
    ch = sub.add_parser("check")
    ch.add_argument("addon_dir")
    ch.add_argument("--fresh-pot")
    args = parser.parse_args()
    if args.command == "update":
        if not shutil.which("msgmerge"):
            sys.exit("msgmerge not found: apt-get install gettext")
        update(args.addon_dir, args.exported_pot, args.new)
        return 0
    problems = check(args.addon_dir, args.fresh_pot)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        addon = os.path.basename(os.path.normpath(args.addon_dir))
        print(
            f"\nTranslations of {addon} are not up to date. Run `bin/i18n-update "
            f"{addon}`, translate the untranslated and fuzzy entries of "
            f"{addon}/i18n/*.po (drop the fuzzy flag once checked), and commit the "
            ".pot and .po files.",
            file=sys.stderr,
        )
        return 1
    addon = os.path.basename(os.path.normpath(args.addon_dir))
    print(f"{addon}: .pot up to date, translations complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
