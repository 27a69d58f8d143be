# The R side of `npm run bench` for `score`: read, score WAI-I and PHQ-ADS as canrelax-analyze does, write CSV.
# Rscript bench/score.R in.csv out.csv   (data.table's fread/fwrite: the fastest R route)
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], na.strings = c("", "NA", "N/A", "NaN", "."))
score_mean <- function(cols, min_answered = 0.75) {
  m <- as.matrix(d[, ..cols]); answered <- rowSums(!is.na(m))
  s <- rowMeans(m, na.rm = TRUE); s[answered < ceiling(min_answered * length(cols) - 1e-9)] <- NA; s
}
score_sum <- function(cols, need) {
  m <- as.matrix(d[, ..cols]); answered <- rowSums(!is.na(m))
  s <- rowMeans(m, na.rm = TRUE) * length(cols); s[answered < need] <- NA; s
}
wai <- function(i) paste0("wai_", i)
d[, wai_task := score_mean(wai(c(1, 2, 10, 12)))]
d[, wai_bond := score_mean(wai(c(3, 5, 7, 9)))]
d[, wai_goal := score_mean(wai(c(4, 6, 8, 11)))]
d[, wai_total := score_mean(wai(1:12))]
for (tp in c("t0", "w10")) {
  phq <- score_sum(paste0("phq9_", 1:9, "_", tp), 7); gad <- score_sum(paste0("gad7_", 1:7, "_", tp), 6)
  d[, paste0("phqads_phq9_", tp) := phq]; d[, paste0("phqads_gad7_", tp) := gad]; d[, paste0("phqads_total_", tp) := phq + gad]
}
fwrite(d, args[2])
