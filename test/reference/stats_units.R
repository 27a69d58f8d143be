# Reference values for the direct unit tests of src/stats/qr.ts, descriptive.ts, reliability.ts and
# distributions.ts (test/stats/qr, descriptive, reliability, distributions .test.ts). Small fixed inputs, written out here, no data files.
# Run from the repository root:  Rscript test/reference/stats_units.R  (writes test/reference/stats_units.json)
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})

# --- qr: R's qr(x, tol = 1e-7, LAPACK = FALSE) = LINPACK dqrdc2 with limited pivoting, as lm uses it.
x1 <- c(1.2, 2.3, 3.1, 4.8, 5.0, 6.7, 7.1, 8.9)
x2 <- c(0.5, -1.0, 2.0, 0.0, 1.5, -0.5, 3.0, 1.0)
x3 <- 2 * x1 - 1                       # aliased: a combination of the intercept and x1
y <- c(3.1, 2.9, 6.2, 7.4, 8.8, 9.1, 13.0, 12.2)
qr_case <- function(X) {
  q <- qr(X, tol = 1e-7)
  r <- q$rank
  Q1 <- qr.Q(q)[, seq_len(r), drop = FALSE]
  list(
    columns = lapply(seq_len(ncol(X)), function(j) X[, j]),
    y = y,
    rank = r,
    pivot = q$pivot - 1,               # 0-based, as qrDecompose reports it
    qraux = q$qraux,
    qr = lapply(seq_len(ncol(X)), function(j) q$qr[, j]),
    coef = unname(qr.coef(q, y)),      # NA for aliased columns → null
    qty = qr.qty(q, y),
    residuals = unname(qr.resid(q, y)),
    hat = rowSums(Q1^2),
    cov_unscaled = as.vector(t(chol2inv(q$qr[seq_len(r), seq_len(r), drop = FALSE])))
  )
}
X_full <- cbind(1, x1, x2)
X_aliased <- cbind(1, x1, x3, x2)       # x3 (third) is aliased: dqrdc2 moves it last, pivot 1 2 4 3, rank 3
fit <- lm(y ~ x1 + x3 + x2)            # lm: coefficient of x3 NA, rank 3
qr_out <- list(
  full = qr_case(X_full),
  aliased = qr_case(X_aliased),
  lm_aliased = list(coef = unname(coef(fit)), rank = fit$rank)
)

# --- descriptive: mean, sd (n − 1), min, max; quantile type 7.
v <- c(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16)   # Welford keeps var = 30 where Σx² − n x̄² cancels
w <- c(2.5, -1, 7, 3, 3, 10, 0.25)
probs <- c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1)
descriptive_out <- list(
  shifted = list(x = v, mean = mean(v), sd = sd(v), min = min(v), max = max(v)),
  small = list(x = w, mean = mean(w), sd = sd(w), min = min(w), max = max(w),
               probs = probs, quantiles = unname(quantile(w, probs, type = 7)))
)

# --- reliability: raw alpha, corrected item–total r (r.drop), alpha if item deleted, as psych::alpha.
items <- data.frame(
  i1 = c(4, 5, 3, 4, 2, 5, 3, 4, 1, 4),
  i2 = c(3, 5, 3, 5, 2, 4, 2, 4, 2, 3),
  i3 = c(4, 4, 2, 5, 1, 5, 3, 3, 2, 5),
  i4 = c(2, 3, 4, 3, 3, 2, 4, 2, 3, 3)
)
a <- psych::alpha(items, check.keys = FALSE, warnings = FALSE)
reliability_out <- list(
  cov = as.vector(t(cov(items))),
  p = ncol(items),
  alpha = a$total$raw_alpha,
  item_total = unname(a$item.stats$r.drop),
  alpha_if_deleted = unname(a$alpha.drop$raw_alpha)
)

# --- distributions.
distributions_out <- list(
  t_cdf = list(args = list(c(-2.1, 7), c(0.3, 112), c(-40, 10)), values = c(pt(-2.1, 7), pt(0.3, 112), pt(-40, 10))),
  t_quantile = list(args = list(c(0.975, 7), c(0.025, 112), c(0.995, 1)), values = c(qt(0.975, 7), qt(0.025, 112), qt(0.995, 1))),
  normal_cdf = list(args = c(-1.96, 0.5, -30), values = pnorm(c(-1.96, 0.5, -30))),
  normal_quantile = list(args = c(0.975, 0.001, 0.5), values = qnorm(c(0.975, 0.001, 0.5))),
  chisq_upper = list(args = list(c(3.84, 1), c(12.5, 4), c(1000, 3)),
                     values = c(pchisq(3.84, 1, lower.tail = FALSE), pchisq(12.5, 4, lower.tail = FALSE), pchisq(1000, 3, lower.tail = FALSE))),
  f_upper = list(args = list(c(4.2, 1, 30), c(2.5, 3, 112), c(300, 2, 50)),
                 values = c(pf(4.2, 1, 30, lower.tail = FALSE), pf(2.5, 3, 112, lower.tail = FALSE), pf(300, 2, 50, lower.tail = FALSE))),
  t_p = list(t = -2.1, df = 7, two_sided = 2 * pt(-2.1, 7), less = pt(-2.1, 7), greater = pt(2.1, 7)),
  normal_p = list(z = 1.7, two_sided = 2 * pnorm(-1.7), less = pnorm(1.7), greater = pnorm(-1.7))
)

out <- list(
  r_version = R.version.string,
  psych_version = as.character(packageVersion("psych")),
  qr = qr_out,
  descriptive = descriptive_out,
  reliability = reliability_out,
  distributions = distributions_out
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/reference/stats_units.json")
