# Agreement with mice (issue 12): the example's app arm (scores of `canrelax-analyze score
# examples/canrelax-synthetic.csv --where arm=app`, kept in mi_app_scores.csv), imputed by mice 3.15 with
# m = 200, maxit = 10, PMM for numeric scores, passive totals (mice's ~I()) that predict nothing, then the
# partial r of each WAI-I score with week-10 distress adjusted for age, sex, baseline distress and expectation
# pooled on Fisher's z (Rubin's rules with W = 1/(n - 3 - k), Barnard-Rubin df with dfcom = n - 2 - k).
# Run from the repository root: Rscript test/reference/mi_mice.R  (writes test/reference/mi_mice.json)
suppressPackageStartupMessages({ library(mice); library(jsonlite) })
d <- read.csv("test/reference/mi_app_scores.csv", stringsAsFactors = FALSE)
d$sex <- factor(d$sex)
d <- d[setdiff(names(d), "id")]
meth <- make.method(d)
meth["wai_total"] <- "~I((wai_task + wai_bond + wai_goal) / 3)"
meth["phqads_total_t0"] <- "~I(phqads_phq9_t0 + phqads_gad7_t0)"
meth["phqads_total_w10"] <- "~I(phqads_phq9_w10 + phqads_gad7_w10)"
pred <- make.predictorMatrix(d)
pred[, c("wai_total", "phqads_total_t0", "phqads_total_w10")] <- 0
started <- proc.time()[["elapsed"]]
imp <- mice(d, m = 200, maxit = 10, method = meth, predictorMatrix = pred, seed = 2026, printFlag = FALSE)
seconds <- proc.time()[["elapsed"]] - started
covs <- "age + sex + phqads_total_t0 + expectation"
partial <- function(data, x) {
  rx <- resid(lm(as.formula(paste(x, "~", covs)), data = data))
  ry <- resid(lm(as.formula(paste("phqads_total_w10 ~", covs)), data = data))
  cor(rx, ry)
}
n <- nrow(d); k <- 4; m <- imp$m
out <- list(mice_version = as.character(packageVersion("mice")), m = m, maxit = 10, n = n, k = k, seconds = seconds, results = list())
for (x in c("wai_total", "wai_bond", "wai_task", "wai_goal")) {
  r <- sapply(seq_len(m), function(i) partial(complete(imp, i), x))
  z <- atanh(r)
  qbar <- mean(z); b <- var(z); w <- 1 / (n - 3 - k); t <- w + (1 + 1 / m) * b
  df <- mice:::barnard.rubin(m, b, t, dfcom = n - 2 - k)
  q <- qt(0.975, df)
  out$results[[x]] <- list(r = tanh(qbar), ci = tanh(c(qbar - q * sqrt(t), qbar + q * sqrt(t))), df = df, between = b)
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/mi_mice.json")
