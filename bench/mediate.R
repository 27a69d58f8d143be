# The R side of `npm run bench` for `mediate`: read, score, app arm, expectation → alliance → week-10 distress adjusted
# for age, sex and baseline distress; paths by lm and the bootstrap of a·b with boot (percentile, and BCa with the
# jackknife acceleration, empinf(type = "jack")), as `mediate --bootstrap R` does.
# Rscript bench/mediate.R in.csv R
suppressMessages({ library(data.table); library(boot) })
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], na.strings = c("", "NA", "N/A", "NaN", "."))
d <- d[arm == "app"]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "scoring.R"))
total <- function(tp) score_sum(d, paste0("phq9_", 1:9, "_", tp), 7) + score_sum(d, paste0("gad7_", 1:7, "_", tp), 6)
f <- data.frame(x = d$expectation, m = score_mean(d, wai(1:12)), y = total("w10"), age = d$age, sex = d$sex, baseline = total("t0"))
f <- f[complete.cases(f), ]
indirect <- function(data, i) {
  s <- data[i, ]
  coef(lm(m ~ x + age + sex + baseline, s))[["x"]] * coef(lm(y ~ x + m + age + sex + baseline, s))[["m"]]
}
set.seed(1)
bt <- boot(f, indirect, R = as.integer(args[2]))
ci <- boot.ci(bt, type = c("perc", "bca"), L = empinf(bt, type = "jack"))
cat("n", nrow(f), "indirect", bt$t0, "percentile", ci$percent[4:5], "bca", ci$bca[4:5], "\n")
