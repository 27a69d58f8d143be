# R's side of the multiple-imputation bench (bench/run.mjs): the job `canrelax-analyze correlate --missing mi
# --imputations M --iterations 10` does on an app arm, in mice 3.15: impute the scores (PMM, the totals passive as
# in test/reference/mi_mice.R), then the partial r of each WAI-I score with week-10 distress (age, sex, baseline,
# expectation) per imputation, pooled on Fisher's z, and pool() on the lm of the first of them.
# The scores are read ready-made (the output of `canrelax-analyze score FILE --where arm=app`): R does not score
# the items here, we do. Run: Rscript bench/mi.R [SCORES.csv [M]] (default test/reference/mi_app_scores.csv, 50).
suppressPackageStartupMessages(library(mice))
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) >= 1) args[[1]] else "test/reference/mi_app_scores.csv"
m <- if (length(args) >= 2) as.integer(args[[2]]) else 50L
d <- read.csv(file, stringsAsFactors = FALSE)
d$sex <- factor(d$sex)
d <- d[c("age", "sex", "expectation", "wai_task", "wai_bond", "wai_goal", "wai_total", "phqads_phq9_t0", "phqads_gad7_t0",
         "phqads_total_t0", "phqads_phq9_w10", "phqads_gad7_w10", "phqads_total_w10")]
meth <- make.method(d)
meth["wai_total"] <- "~I((wai_task + wai_bond + wai_goal) / 3)"
meth["phqads_total_t0"] <- "~I(phqads_phq9_t0 + phqads_gad7_t0)"
meth["phqads_total_w10"] <- "~I(phqads_phq9_w10 + phqads_gad7_w10)"
pred <- make.predictorMatrix(d)
pred[, c("wai_total", "phqads_total_t0", "phqads_total_w10")] <- 0
imp <- mice(d, m = m, maxit = 10, method = meth, predictorMatrix = pred, seed = 1, printFlag = FALSE)
covs <- "age + sex + phqads_total_t0 + expectation"
n <- nrow(d); k <- 4
for (x in c("wai_total", "wai_bond", "wai_task", "wai_goal")) {
  z <- sapply(seq_len(imp$m), function(i) {
    data <- complete(imp, i)
    atanh(cor(resid(lm(as.formula(paste(x, "~", covs)), data = data)), resid(lm(as.formula(paste("phqads_total_w10 ~", covs)), data = data))))
  })
  t <- 1 / (n - 3 - k) + (1 + 1 / imp$m) * var(z)
  invisible(mice:::barnard.rubin(imp$m, var(z), t, dfcom = n - 2 - k))
}
invisible(summary(pool(with(imp, lm(phqads_total_w10 ~ wai_total + age + sex + phqads_total_t0 + expectation)))))
