# The R side of `npm run bench` for `correlate`: read, score on the fly, app arm, partial r of alliance, bond,
# task, goal with week-10 distress adjusted for age, sex, baseline distress, expectation (lm.fit residuals).
# Rscript bench/correlate.R in.csv
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], na.strings = c("", "NA", "N/A", "NaN", "."))
d <- d[arm == "app"]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "scoring.R"))
x <- list(alliance = score_mean(d, wai(1:12)), bond = score_mean(d, wai(c(3, 5, 7, 9))),
          task = score_mean(d, wai(c(1, 2, 10, 12))), goal = score_mean(d, wai(c(4, 6, 8, 11))))
total <- function(tp) score_sum(d, paste0("phq9_", 1:9, "_", tp), 7) + score_sum(d, paste0("gad7_", 1:7, "_", tp), 6)
y <- total("w10"); baseline <- total("t0")
for (name in names(x)) {
  f <- data.frame(x = x[[name]], y = y, age = d$age, sex = d$sex, baseline = baseline, expectation = d$expectation)
  f <- f[complete.cases(f), ]
  Z <- model.matrix(~ age + sex + baseline + expectation, f)
  r <- cor(resid(lm.fit(Z, f$x)), resid(lm.fit(Z, f$y)))
  cat(name, nrow(f), r, "\n")
}
