# The R side of `npm run bench` for `score`: read, score WAI-I and PHQ-ADS as canrelax-analyze does, write CSV.
# Rscript bench/score.R in.csv out.csv   (data.table's fread/fwrite: the fastest R route)
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], na.strings = c("", "NA", "N/A", "NaN", "."))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "scoring.R"))
d[, wai_task := score_mean(d, wai(c(1, 2, 10, 12)))]
d[, wai_bond := score_mean(d, wai(c(3, 5, 7, 9)))]
d[, wai_goal := score_mean(d, wai(c(4, 6, 8, 11)))]
d[, wai_total := score_mean(d, wai(1:12))]
for (tp in c("t0", "w10")) {
  phq <- score_sum(d, paste0("phq9_", 1:9, "_", tp), 7); gad <- score_sum(d, paste0("gad7_", 1:7, "_", tp), 6)
  d[, paste0("phqads_phq9_", tp) := phq]; d[, paste0("phqads_gad7_", tp) := gad]; d[, paste0("phqads_total_", tp) := phq + gad]
}
fwrite(d, args[2])
