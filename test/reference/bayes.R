# Reference values for test/stats/bayes.test.ts.
# Run from the repository root:  Rscript test/reference/bayes.R  (writes test/reference/bayes.json)
#
# bf:         exp(BayesFactor::linearReg.R2stat(N, p, R2, rscale)$bf) — BayesFactor's own quadrature
#             (R integrate() at its default rel.tol ~1.2e-4; `properror` is its own error estimate).
# bf_precise: the same integrand (BayesFactor:::integrand.regression.u, printed from the installed package):
#             g = exp(u), integrand (1+g)^((N-p-1)/2) (1+(1-R2) g)^(-(N-1)/2) IG(g; 1/2, rscale^2 N/2) g,
#             integrated with integrate(rel.tol = 1e-13) around the mode in logs — the value the TS code aims at.
suppressPackageStartupMessages({
  library(BayesFactor)
  library(jsonlite)
})

log_integrand <- function(u, N, p, R2, rscale) {
  b <- rscale^2 * N / 2
  l1pe <- function(x) ifelse(x > 0, x + log1p(exp(-x)), log1p(exp(x)))
  0.5 * ((N - p - 1) * l1pe(u) - (N - 1) * l1pe(u + log1p(-R2))) +
    0.5 * log(b) - lgamma(0.5) - 1.5 * u - b * exp(-u) + u
}
precise_log_bf <- function(N, p, R2, rscale) {
  f <- function(u) log_integrand(u, N, p, R2, rscale)
  opt <- optimize(f, c(log(rscale^2 * N / 2) - 15, log(N) - log1p(-R2) + 15), maximum = TRUE, tol = 1e-12)
  m <- opt$maximum
  mx <- opt$objective
  g <- function(u) exp(f(u) - mx)
  lo <- m; while (f(lo) > mx - 60) lo <- lo - 1
  hi <- m; while (f(hi) > mx - 60) hi <- hi + 1
  v <- integrate(g, lo, m, rel.tol = 1e-13, subdivisions = 1000L)$value +
       integrate(g, m, hi, rel.tol = 1e-13, subdivisions = 1000L)$value
  log(v) + mx
}

cases <- list(
  list(n = 20, p = 1, r2 = 0.36, rscale = 1),           # r = .6, n = 20: Wetzels & Wagenmakers (2012) 8.2214
  list(n = 20, p = 1, r2 = 0, rscale = 1),
  list(n = 30, p = 3, r2 = 0.5, rscale = 1),
  list(n = 50, p = 2, r2 = 0.01, rscale = 1),
  list(n = 117, p = 4, r2 = 0.12, rscale = 1),
  list(n = 117, p = 5, r2 = 0.2, rscale = 1),
  list(n = 117, p = 5, r2 = 0.14, rscale = 1),
  list(n = 117, p = 5, r2 = 0.2, rscale = sqrt(2) / 4), # BayesFactor's "medium"
  list(n = 117, p = 4, r2 = 0.12, rscale = sqrt(2) / 4),
  list(n = 700, p = 1, r2 = 0.25, rscale = 1),
  list(n = 700, p = 1, r2 = 0.001, rscale = 1),
  list(n = 700, p = 5, r2 = 0.3, rscale = 1),
  list(n = 687, p = 6, r2 = 0.37527569799556, rscale = 1),
  list(n = 687, p = 6, r2 = 0.37527569799556, rscale = sqrt(2) / 2),
  list(n = 5000, p = 3, r2 = 0.002, rscale = 1),
  list(n = 10, p = 7, r2 = 0.9, rscale = 1)
)
reg <- lapply(cases, function(cs) {
  r <- linearReg.R2stat(N = cs$n, p = cs$p, R2 = cs$r2, rscale = cs$rscale)
  c(cs, list(log_bf = r$bf, bf = exp(r$bf), properror = r$properror,
             log_bf_precise = precise_log_bf(cs$n, cs$p, cs$r2, cs$rscale)))
})

# Partial correlation BFs as ratios: BF(n, k+1, R2 full) / BF(n, k, R2 reduced).
partial_cases <- list(
  list(n = 20, k = 0, r2_full = 0.36, r2_reduced = 0, rscale = 1),
  list(n = 117, k = 4, r2_full = 0.2, r2_reduced = 0.12, rscale = 1),
  list(n = 117, k = 4, r2_full = 0.14, r2_reduced = 0.12, rscale = 1),
  list(n = 117, k = 4, r2_full = 0.2, r2_reduced = 0.12, rscale = sqrt(2) / 4)
)
partial <- lapply(partial_cases, function(cs) {
  full <- linearReg.R2stat(N = cs$n, p = cs$k + 1, R2 = cs$r2_full, rscale = cs$rscale)$bf
  red <- if (cs$k == 0) 0 else linearReg.R2stat(N = cs$n, p = cs$k, R2 = cs$r2_reduced, rscale = cs$rscale)$bf
  fullp <- precise_log_bf(cs$n, cs$k + 1, cs$r2_full, cs$rscale)
  redp <- if (cs$k == 0) 0 else precise_log_bf(cs$n, cs$k, cs$r2_reduced, cs$rscale)
  c(cs, list(bf = exp(full - red), log_bf = full - red, log_bf_precise = fullp - redp))
})

# On data: SATQ ~ ACT + age + education + gender vs SATQ ~ age + education + gender (k = 3, n = 687), from R²
# of lm, and BayesFactor::lmBF on the same data (all-continuous models: one g, the same JZS integral).
d <- read.csv("../shared/reference/sat_act.csv", na.strings = "")
d <- d[complete.cases(d[, c("SATQ", "ACT", "age", "education", "gender")]), ]
r2_full <- summary(lm(SATQ ~ ACT + age + education + gender, data = d))$r.squared
r2_red <- summary(lm(SATQ ~ age + education + gender, data = d))$r.squared
bf_full <- lmBF(SATQ ~ ACT + age + education + gender, data = d, rscaleCont = 1)
bf_red <- lmBF(SATQ ~ age + education + gender, data = d, rscaleCont = 1)
sat_act <- list(n = nrow(d), k = 3, r2_full = r2_full, r2_reduced = r2_red,
                log_bf_lmBF = extractBF(bf_full, logbf = TRUE)$bf - extractBF(bf_red, logbf = TRUE)$bf,
                log_bf_precise = precise_log_bf(nrow(d), 4, r2_full, 1) - precise_log_bf(nrow(d), 3, r2_red, 1))

out <- list(regression = reg, partial = partial, sat_act = sat_act,
            versions = list(R = R.version.string, BayesFactor = as.character(packageVersion("BayesFactor"))))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/bayes.json")
