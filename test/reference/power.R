# Reference values for test/stats/power.test.ts: exact power of the t test of a partial correlation.
# Run from the repository root:  Rscript test/reference/power.R  (writes test/reference/power.json)
#
# With k covariates the sample partial r is distributed as a zero-order r from N = n - k observations (Fisher 1924).
# Two independent exact computations, which must agree:
#  (a) Hotelling's (1953) density of r, with hypergeo::hypergeo for 2F1(1/2, 1/2; N - 1/2; (1 + rho r)/2),
#        f(r) = (N-2) G(N-1) (1-rho^2)^((N-1)/2) (1-r^2)^((N-4)/2) / (sqrt(2 pi) G(N-1/2) (1-rho r)^(N-3/2)) * 2F1,
#      integrated over the rejection region with integrate(rel.tol = 1e-11);
#  (b) the conditional (regression) representation: given x, the slope's t is noncentral t with df N - 2 and
#      ncp rho/sqrt(1-rho^2) * sqrt(W), W ~ chi^2_(N-1); power = E_W[P(|T'| >= t_c)] (integrate over W).
# Critical value: t_c = qt(1 - alpha/2, df) (two-sided) or qt(1 - alpha, df), df = n - 2 - k; r_c = t_c / sqrt(df + t_c^2).
# pwr::pwr.r.test(n = n - k, r = r) (Fisher-z approximation) is recorded beside each exact value.
suppressPackageStartupMessages({
  library(hypergeo)
  library(pwr)
  library(jsonlite)
})

dens <- function(r, rho, N) {
  lc <- log(N - 2) + lgamma(N - 1) - lgamma(N - 0.5) - 0.5 * log(2 * pi)
  h <- Re(hypergeo(0.5, 0.5, N - 0.5, (1 + rho * r) / 2))
  exp(lc + (N - 1) / 2 * log1p(-rho^2) + (N - 4) / 2 * log1p(-r^2) - (N - 1.5) * log1p(-rho * r)) * h
}
crit <- function(n, k, alpha, alternative) {
  df <- n - 2 - k
  tc <- qt(if (alternative == "two.sided") 1 - alpha / 2 else 1 - alpha, df)
  c(tc = tc, rc = tc / sqrt(df + tc^2))
}
tail_up <- function(rc, rho, N) {
  # split at the peak so integrate() sees it
  pts <- sort(unique(c(rc, pmin(pmax(rho + c(-4, 0, 4) * (1 - rho^2) / sqrt(N - 1), rc), 1), 1)))
  s <- 0
  for (i in seq_len(length(pts) - 1)) if (pts[i + 1] > pts[i])
    s <- s + integrate(function(r) dens(r, rho, N), pts[i], pts[i + 1], rel.tol = 1e-11, subdivisions = 1000L)$value
  s
}
power_hotelling <- function(n, k, rho, alpha = 0.05, alternative = "two.sided") {
  N <- n - k
  rc <- crit(n, k, alpha, alternative)[["rc"]]
  switch(alternative,
         two.sided = tail_up(rc, rho, N) + tail_up(rc, -rho, N),
         greater = tail_up(rc, rho, N),
         less = tail_up(rc, -rho, N))
}
power_nct <- function(n, k, rho, alpha = 0.05, alternative = "two.sided") {
  N <- n - k
  df <- N - 2
  tc <- crit(n, k, alpha, alternative)[["tc"]]
  g <- function(w) {
    ncp <- rho / sqrt(1 - rho^2) * sqrt(w)
    p <- switch(alternative,
                two.sided = pt(tc, df, ncp, lower.tail = FALSE) + pt(-tc, df, ncp),
                greater = pt(tc, df, ncp, lower.tail = FALSE),
                less = pt(-tc, df, ncp))
    p * dchisq(w, N - 1)
  }
  # W's mass lies within qchisq(1e-15) .. qchisq(1 - 1e-15); split at the mean so integrate() cannot miss it
  lo <- qchisq(1e-15, N - 1); hi <- qchisq(1e-15, N - 1, lower.tail = FALSE)
  integrate(g, lo, N - 1, rel.tol = 1e-11, subdivisions = 1000L)$value +
    integrate(g, N - 1, hi, rel.tol = 1e-11, subdivisions = 1000L)$value
}
pwr_alt <- function(a) if (a == "two.sided") "two.sided" else a

power_cases <- list(
  list(n = 117, k = 4, r = 0.18, alpha = 0.05, alternative = "two.sided"),
  list(n = 117, k = 4, r = 0.3, alpha = 0.05, alternative = "two.sided"),
  list(n = 117, k = 4, r = 0, alpha = 0.05, alternative = "two.sided"),
  list(n = 117, k = 4, r = -0.25, alpha = 0.01, alternative = "two.sided"),
  list(n = 117, k = 4, r = 0.18, alpha = 0.05, alternative = "greater"),
  list(n = 117, k = 4, r = -0.18, alpha = 0.05, alternative = "less"),
  list(n = 687, k = 3, r = 0.1, alpha = 0.05, alternative = "two.sided"),
  list(n = 12, k = 2, r = 0.6, alpha = 0.05, alternative = "two.sided"),
  list(n = 8, k = 0, r = 0.95, alpha = 0.05, alternative = "two.sided"),  # (1 + rho r)/2 up to 0.975
  list(n = 40, k = 10, r = 0.5, alpha = 0.05, alternative = "two.sided")
)
power <- lapply(power_cases, function(cs) {
  ph <- power_hotelling(cs$n, cs$k, cs$r, cs$alpha, cs$alternative)
  pn <- power_nct(cs$n, cs$k, cs$r, cs$alpha, cs$alternative)
  pw <- if (cs$n - cs$k >= 4) pwr.r.test(n = cs$n - cs$k, r = cs$r, sig.level = cs$alpha,
                                          alternative = pwr_alt(cs$alternative))$power else NA
  c(cs, list(power = ph, power_nct = pn, pwr = pw))
})

mdr_cases <- list(
  list(n = 117, k = 4, power = 0.8, alpha = 0.05, alternative = "two.sided"),
  list(n = 117, k = 4, power = 0.9, alpha = 0.05, alternative = "two.sided"),
  list(n = 117, k = 4, power = 0.8, alpha = 0.05, alternative = "greater"),
  list(n = 30, k = 5, power = 0.8, alpha = 0.05, alternative = "two.sided")
)
mdr <- lapply(mdr_cases, function(cs) {
  f <- function(rho) power_hotelling(cs$n, cs$k, rho, cs$alpha, cs$alternative) - cs$power
  root <- uniroot(f, c(0, 0.99), tol = 1e-13)$root
  pw <- pwr.r.test(n = cs$n - cs$k, power = cs$power, sig.level = cs$alpha, alternative = pwr_alt(cs$alternative))$r
  c(cs, list(r = root, power_nct_at_r = power_nct(cs$n, cs$k, root, cs$alpha, cs$alternative), pwr = pw))
})

reqn_cases <- list(
  list(r = 0.18, k = 4, power = 0.8, alpha = 0.05, alternative = "two.sided"),
  list(r = 0.3, k = 4, power = 0.9, alpha = 0.05, alternative = "two.sided"),
  list(r = 0.18, k = 4, power = 0.8, alpha = 0.05, alternative = "greater")
)
reqn <- lapply(reqn_cases, function(cs) {
  n <- cs$k + 3
  while (power_hotelling(n, cs$k, cs$r, cs$alpha, cs$alternative) < cs$power) n <- n + 1
  pw <- pwr.r.test(r = cs$r, power = cs$power, sig.level = cs$alpha, alternative = pwr_alt(cs$alternative))$n
  c(cs, list(n = n,
             power_at_n = power_hotelling(n, cs$k, cs$r, cs$alpha, cs$alternative),
             power_at_n_minus_1 = power_hotelling(n - 1, cs$k, cs$r, cs$alpha, cs$alternative),
             pwr_n = pw + cs$k, pwr_n_ceiling = ceiling(pw) + cs$k))
})

out <- list(power = power, minimum_r = mdr, required_n = reqn,
            versions = list(R = R.version.string, hypergeo = as.character(packageVersion("hypergeo")),
                            pwr = as.character(packageVersion("pwr"))))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/reference/power.json")
