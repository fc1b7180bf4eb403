/// A compiled-in copy of the files in the top-level `Templates/` folder, used when no folder is found at run time.
/// Generated from those files (they are the source of truth) by `scripts/embed-templates.sh`; `TemplateTests`
/// fails when the two differ.
enum EmbeddedTemplates {
    /// Template text by name.
    static let texts: [String: String] = [
        "coord_check": #"""
{{% CONTENT_TYPE: TEXT}}
# {{title}}

{{#digest}}
- **Checked:** {{checked}}
- **Wrong:** {{wrong}}
- **Next:** {{next}}
{{/digest}}

{{#summary}}
> **Verdict:** {{headline}}
{{#attention}}
> - `{{op}}` ({{statistic}}, t = {{t}}): **{{verdict}}** — {{message}}
{{/attention}}
{{/summary}}

{{> run_configuration}}

## Figures

{{> figures}}

## Slopes against {{axis}}

Least-squares slope of log2(statistic) on log2({{axis}}) per op and step, with its 95% interval across seeds,
compared with the slope theory expects from {{theoryBasis}} (tolerance ±{{toleranceInit}} at init,
±{{toleranceTrained}} after training). `grows`/`shrinks`: the op scales with {{axis}} differently from theory;
`inconclusive`: the interval is too wide to decide; `zero`: exactly zero at every {{axis}}.

| op | kind | t | statistic | expected | measured | 95% interval | verdict | suggested fix |
|---|---|---:|---|---:|---:|---|---|---|
{{#slopes}}
| `{{op}}` | {{kind}} | {{t}} | {{statistic}} | {{expected}} | {{measured}} | {{interval}} | {{verdictText}} | {{fix}} |
{{/slopes}}

{{> data_files}}

"""#,
        "lr_transfer": #"""
{{% CONTENT_TYPE: TEXT}}
# {{title}}

{{#digest}}
- **Checked:** {{checked}}
- **Wrong:** {{wrong}}
- **Next:** {{next}}
{{/digest}}

> **Verdict:** {{headline}}

{{> run_configuration}}

## Figures

{{> figures}}

## Optimal learning rate per width

lr* is the vertex of a parabola fitted to the final loss against log2(lr) around the best grid point; the drift
exponent is the slope of log2(lr*) against log2(width) through the widths whose optimum lies inside the grid: about
−1 means the optimum halves with every doubling of width (SP with Adam), about 0 means the learning rate transfers
across width (µP). The verdict is an equivalence test: "transfers" only when the drift's 95% interval lies within
±{{equivalenceMargin}}, "shifts" when it lies outside, "inconclusive" otherwise.
{{#parametrizations}}

### {{name}}: drift exponent {{drift}} (95% interval {{driftInterval}})

| width | lr* | 95% interval of lr* | note |
|---:|---:|---|---|
{{#optima}}
| {{width}} | {{optimum}} | {{interval}} | {{note}} |
{{/optima}}

Mean final loss per width (rows) and learning rate (columns); the best grid point of each width is in bold,
`diverged` marks a learning rate at which some seed diverged.

| width |{{#lrHeaders}} {{.}} |{{/lrHeaders}}
|---:|{{#lrHeaders}}---:|{{/lrHeaders}}
{{#lossRows}}
| {{width}} |{{#cells}} {{.}} |{{/cells}}
{{/lossRows}}

Wider is always better (at the learning rates next to each width's best, a wider model must not end worse):
{{#widerIsBetterHolds}}every wider model did at least as well.{{/widerIsBetterHolds}}
{{#widerIsBetterViolations}}
- {{.}}
{{/widerIsBetterViolations}}
{{/parametrizations}}

{{> data_files}}

"""#,
        "gate": #"""
{{% CONTENT_TYPE: TEXT}}
# Slope gate: {{status}}

{{headline}}

- baseline: `{{baseline}}`
- current: `{{current}}`
- tolerance on |slope − baseline|: ±{{tolerance}}
- slopes checked: {{checked}}; new in the current run (not gated): {{added}}
{{#command}}
- reproduce: `{{command}}`
{{/command}}
{{#hasRegressions}}

| op | t | statistic | baseline | current | Δ | reason |
|---|---:|---|---:|---:|---:|---|
{{#regressions}}
| `{{op}}` | {{t}} | {{statistic}} | {{baseline}} | {{current}} | {{delta}} | {{reason}} |
{{/regressions}}
{{/hasRegressions}}

"""#,
        "compare": #"""
{{% CONTENT_TYPE: TEXT}}
# {{title}}

## Findings (measured)

{{#findings}}
- {{.}}
{{/findings}}

## How the best run is chosen

{{method}}

| experiment | folder | runs | diverged runs |
|---|---|---:|---:|
{{#experiments}}
| {{name}} | `{{folder}}` | {{runs}} | {{diverged}} |
{{/experiments}}

{{> reproduce}}
## Best run per group and experiment

`lr` is the picked `optimizer.lr_prefactor` (of how many settings where no seed diverged); the final value is the
mean over the seeds, with the seeds' range; "vs best" is how much worse than the group's best experiment. The runs
picked are listed in `compare.csv`.

| group | experiment | lr | other settings | seeds | {{metricHeader}} | seeds' range | vs best |
|---|---|---|---|---:|---:|---|---:|
{{#best}}
| {{group}} | {{experiment}} | {{learningRate}} | {{settings}} | {{seeds}} | {{final}} | {{range}} | {{gap}} |
{{/best}}
{{#hasSweeps}}

## {{metricHeader}} at every learning rate

Mean over seeds; the pick of each experiment is in bold, `diverged` marks a learning rate where some seed diverged.
{{#sweeps}}

### {{group}}

| experiment |{{#headers}} {{.}} |{{/headers}}
|---|{{#headers}}---:|{{/headers}}
{{#rows}}
| {{experiment}} |{{#cells}} {{.}} |{{/cells}}
{{/rows}}
{{/sweeps}}
{{/hasSweeps}}

## Figures

{{> figures}}

{{> data_files}}

"""#,
        "run_configuration": #"""
{{% CONTENT_TYPE: TEXT}}
## Run configuration

{{#run}}
Model: **{{model}}**{{#parametrization}}, {{parametrizationWord}} **{{parametrization}}**{{/parametrization}}{{#optimizer}}, optimizer **{{optimizer}}**{{/optimizer}}{{#learningRate}}, {{learningRateWord}} **{{learningRate}}**{{/learningRate}}{{#seeds}}, **{{seeds}}** seeds{{/seeds}}{{#steps}}, **{{steps}}** steps{{/steps}}.

{{> reproduce}}
{{#hasSettings}}
| setting | value |
|---|---|
{{#settings}}
| {{name}} | `{{value}}` |
{{/settings}}

{{/hasSettings}}
{{#notes}}
- {{.}}
{{/notes}}
{{#hasLayers}}

### Per-layer exponents (abc parametrization and LP)

Each layer multiplies its output by width^-a, initializes its weights with entries of size width^-b and trains
with a learning rate ∝ width^-c; the LP's r says its change since init scales as width^-r.

| layer | role | width | a | b | c | lr | r |
|---|---|---:|---:|---:|---:|---:|---:|
{{#layers}}
| `{{name}}` | {{role}} | {{width}} | {{a}} | {{b}} | {{c}} | {{lr}} | {{r}} |
{{/layers}}
{{/hasLayers}}
{{/run}}

"""#,
        "figures": #"""
{{% CONTENT_TYPE: TEXT}}
{{#figures}}
### {{title}}

![{{alt}}]({{file}})

{{caption}}{{#vector}} ([SVG]({{vector}})){{/vector}}

{{/figures}}

"""#,
        "data_files": #"""
{{% CONTENT_TYPE: TEXT}}
{{#hasDataFiles}}
## Data files

{{#dataFiles}}
- [`{{name}}`]({{name}}): {{description}}
{{/dataFiles}}
{{/hasDataFiles}}

"""#,
        "reproduce": #"""
{{% CONTENT_TYPE: TEXT}}
{{#command}}
Reproduce with:

```sh
{{command}}
```

{{/command}}

"""#,
    ]
}
