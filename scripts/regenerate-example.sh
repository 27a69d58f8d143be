#!/bin/sh
# Regenerates the bundled example (examples/canrelax-synthetic.csv) and every committed file made from it: the
# simulate --match fixtures, the stranger's export, the inputs R reads (scores, written imputations), the R reference
# outputs, and docs/example-report. Run from the repository root after a change to the simulator (or after merging
# one): sh scripts/regenerate-example.sh. Needs Rscript (jsonlite, psych, mice, lavaan) and /usr/bin/python3 with openpyxl (python3-openpyxl).
# Hard-coded numbers of the example in tests, README.md and docs/*.md are not rewritten here: run the tests after it
# and update each from the R output (or the committed script) that makes it. Tests that name numbers of the example
# (issue 22): test/analyses/published.test.ts, test/cli/{describe,init,measure,missing,model,output-fit,
# report-published,report,robustness,stranger,types}.test.ts, test/io/sav.test.ts, test/report/journal.test.ts;
# README.md: the correlate and measure blocks (rerun the commands shown), the Measurement prose and the report excerpt
# under Reports → Example (from docs/example-report/report.md). Rerun with nothing changed, it moves only
# mi_mice.json's "seconds" and the date haven writes into canrelax.sav/.zsav.
set -eu
npm run build >/dev/null
cli="node bin/canrelax-analyze"
published=examples/published/canrelax-2026.json

# The example and the simulate --match fixtures (test/analyses/published.test.ts, test/cli/simulate-match.test.ts).
$cli simulate --match "$published" --seed 2026 > examples/canrelax-synthetic.csv
cp examples/canrelax-synthetic.csv test/reference/published/match-2026.csv
for seed in 1 7 99; do
  $cli simulate --match "$published" --seed "$seed" > "test/reference/published/match-$seed.csv"
done

# A stranger's export of the same participants (test/cli/stranger.test.ts), and the example as SPSS and Excel files
# (test/cli/spss-excel.test.ts, init.test.ts). haven stamps the date into a .sav header: the .sav fixtures that do
# not come from the example keep their committed bytes; make-xlsx.py's other workbooks come out byte for byte.
/usr/bin/python3 test/fixtures/stranger/make.py
Rscript test/fixtures/spss-excel/make-sav.R
git checkout -- test/fixtures/spss-excel/features.sav test/fixtures/spss-excel/levels.sav
/usr/bin/python3 test/fixtures/spss-excel/make-xlsx.py

# What R reads besides the example: the app arm's scores, and the completed data sets our multiple imputation writes.
$cli score examples/canrelax-synthetic.csv --where arm=app | Rscript -e '
  d <- read.csv(file("stdin"), stringsAsFactors = FALSE, na.strings = "")
  cols <- c("id", "age", "sex", "expectation", "wai_task", "wai_bond", "wai_goal", "wai_total", "phqads_phq9_t0",
            "phqads_gad7_t0", "phqads_total_t0", "phqads_phq9_w10", "phqads_gad7_w10", "phqads_total_w10")
  write.csv(d[, cols], "test/reference/mi_app_scores.csv", row.names = FALSE, na = "")'
rm -f test/reference/mi_pool/imputations.csv test/reference/mediate_mi/imputations.csv test/reference/model_mi_slopes/imputations.csv
$cli correlate examples/canrelax-synthetic.csv --where arm=app --adjust age,sex,baseline,expectation --missing mi \
  --imputations 5 --seed 12 --write-imputations test/reference/mi_pool > /dev/null
$cli mediate examples/canrelax-synthetic.csv --where arm=app --x expectation --m alliance --y distress \
  --adjust age,sex,baseline --missing mi --imputations 5 --seed 12 --bootstrap 0 --write-imputations test/reference/mediate_mi > /dev/null
$cli model examples/canrelax-synthetic.csv --where arm=app --y distress --x alliance --interaction sex \
  --adjust age,baseline --missing mi --imputations 5 --seed 21 --write-imputations test/reference/model_mi_slopes > /dev/null

# R reference values that depend on the example (each script's header says what it computes).
for script in describe phqads_alpha published mi_mice mi_pool mediate_mi model_mi_slopes; do
  Rscript "test/reference/$script.R"
done
Rscript test/reference/cfa.R > test/reference/cfa.json

# The model-frame floor's pinned numbers (test/frame/sample.test.ts): its example cases follow the example; the
# sat_act cases come out unchanged (check with git diff that only the example's cases moved).
WRITE_FRAME_BEFORE=1 npx jest test/frame/sample.test.ts > /dev/null

# The example report (test/cli/example-report.test.ts; the coordinator regenerates it after every merge).
rm -rf canrelax-report
npm start > /dev/null
rm -f docs/example-report/*
cp canrelax-report/* docs/example-report/
rm -rf canrelax-report
git status --short
