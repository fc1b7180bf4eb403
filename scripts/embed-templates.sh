#!/usr/bin/env bash
# Rewrites Sources/MaxPReport/Rendering/EmbeddedTemplates.swift from the files in Templates/ (the source of truth);
# TemplateTests fails when the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/MaxPReport/Rendering/EmbeddedTemplates.swift
{
    echo '/// A compiled-in copy of the files in the top-level `Templates/` folder, used when no folder is found at run time.'
    echo '/// Generated from those files (they are the source of truth) by `scripts/embed-templates.sh`; `TemplateTests`'
    echo '/// fails when the two differ.'
    echo 'enum EmbeddedTemplates {'
    echo '    /// Template text by name.'
    echo '    static let texts: [String: String] = ['
    for name in coord_check lr_transfer gate compare run_configuration figures data_files reproduce; do
        printf '        "%s": #"""\n' "$name"
        cat "Templates/$name.md.mustache"
        printf '\n"""#,\n'
    done
    echo '    ]'
    echo '}'
} > "$out.tmp"
mv "$out.tmp" "$out"
