# Extra expected values for test/stats (R 4.2, stats, jsonlite). Run from the repository root:
#   Rscript test/reference/stats_extra.R
# Reads ../shared/reference/pingouin_partial.csv, writes test/reference/stats_extra.json.
suppressMessages(library(jsonlite))
d <- read.csv("../shared/reference/pingouin_partial.csv")
n <- nrow(d)

# Partial r by the residual method, with lm.fit's aliasing; returns r, rank and the aliased covariates (1-based positions).
resid_r <- function(x, y, Z) {
  X <- cbind(1, Z)
  fx <- lm.fit(X, x); fy <- lm.fit(X, y)
  rx <- resid(fx); ry <- resid(fy)
  aliased <- which(is.na(coef(fx))) - 1
  list(r = sum(rx * ry) / sqrt(sum(rx^2) * sum(ry^2)), k = fx$rank - 1, dropped = I(aliased))
}
cv <- as.matrix(d[, c("cv1", "cv2", "cv3")])
rk <- function(v) rank(v, ties.method = "average")
partial <- list(
  cv1 = resid_r(d$x, d$y, cv[, 1, drop = FALSE]),
  cv12 = resid_r(d$x, d$y, cv[, 1:2]),
  cv123 = resid_r(d$x, d$y, cv),
  spearman_cv123 = resid_r(rk(d$x), rk(d$y), apply(cv, 2, rk)))
# Aliased designs: cv1, 2*cv1 (aliased), cv2, cv1 + cv2 (aliased), cv3.
Zal <- cbind(cv[, 1], 2 * cv[, 1], cv[, 2], cv[, 1] + cv[, 2], cv[, 3])
aliased <- resid_r(d$x, d$y, Zal)

# Semi-partial (ppcor::spcor, re-implemented from ppcor 1.1's source since ppcor is not installed here):
#   spcor <- -cov2cor(icvx)/sqrt(diag(cvx))/sqrt(abs(diag(icvx)-t(t(icvx^2)/diag(icvx))))
xyz <- cbind(x = d$x, y = d$y, cv)
cvx <- cov(xyz); icvx <- solve(cvx)
sp <- -cov2cor(icvx) / sqrt(diag(cvx)) / sqrt(abs(diag(icvx) - t(t(icvx^2) / diag(icvx))))
ry <- resid(lm(d$y ~ cv)); rx <- resid(lm(d$x ~ cv))
semi <- list(
  ppcor_12 = sp[1, 2], ppcor_21 = sp[2, 1],
  y_only = cor(d$x, ry), x_only = cor(rx, d$y))
sp_test <- function(r) { t <- r * sqrt((n - 2 - 3) / (1 - r^2)); list(t = t, p = 2 * pt(-abs(t), n - 2 - 3)) }
semi$y_only_test <- sp_test(semi$y_only)
semi$x_only_test <- sp_test(semi$x_only)

# Partial r test with one-sided alternatives and a 90% level, for r(x, y | cv1..cv3).
r3 <- partial$cv123$r; df3 <- n - 2 - 3; t3 <- r3 * sqrt(df3 / (1 - r3^2)); se3 <- 1 / sqrt(n - 3 - 3)
tests <- list(r = r3, n = n, k = 3, t = t3,
  p_less = pt(t3, df3), p_greater = pt(t3, df3, lower.tail = FALSE),
  ci90 = tanh(atanh(r3) + c(-1, 1) * qnorm(0.95) * se3),
  ci90_less = c(-1, tanh(atanh(r3) + qnorm(0.90) * se3)),
  ci90_greater = c(tanh(atanh(r3) - qnorm(0.90) * se3), 1))

pv <- c(0.01, 0.02, 0.03, 0.04, 0.05)
pv2 <- c(0.04, 0.001, 0.03, 0.03, 0.2, 0.9, 0.5)
padj <- list(
  p1 = pv, holm1 = p.adjust(pv, "holm"), bh1 = p.adjust(pv, "BH"), by1 = p.adjust(pv, "BY"), bonf1 = p.adjust(pv, "bonferroni"),
  p2 = pv2, holm2 = p.adjust(pv2, "holm"), bh2 = p.adjust(pv2, "BH"), by2 = p.adjust(pv2, "BY"), bonf2 = p.adjust(pv2, "bonferroni"))

rv <- c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5)
ranks <- list(values = rv, ranks = rank(rv, ties.method = "average"))

# Fisher difference with Zou's interval, and heterogeneity.
fci <- function(r, n, k, level = 0.95) tanh(atanh(r) + c(-1, 1) * qnorm(1 - (1 - level) / 2) / sqrt(n - 3 - k))
a <- list(r = 0.5, n = 50, k = 2); b <- list(r = 0.3, n = 80, k = 1)
la <- fci(a$r, a$n, a$k); lb <- fci(b$r, b$n, b$k)
z <- (atanh(a$r) - atanh(b$r)) / sqrt(1 / (a$n - 3 - a$k) + 1 / (b$n - 3 - b$k))
compare <- list(a = a, b = b, z = z, p = 2 * pnorm(-abs(z)), ci_a = la, ci_b = lb,
  zou = c(a$r - b$r - sqrt((a$r - la[1])^2 + (lb[2] - b$r)^2), a$r - b$r + sqrt((la[2] - a$r)^2 + (b$r - lb[1])^2)))
g <- data.frame(r = c(0.5, 0.3, 0.45), n = c(50, 80, 40), k = c(2, 1, 0))
w <- g$n - 3 - g$k; zz <- atanh(g$r); zbar <- sum(w * zz) / sum(w); Q <- sum(w * (zz - zbar)^2)
het <- list(groups = g, q = Q, df = nrow(g) - 1, p = pchisq(Q, nrow(g) - 1, lower.tail = FALSE))

# Jackknife of r(x, y | cv1..cv3): leave-one-out values and the BCa acceleration (Efron & Tibshirani 1993 eq. 14.15),
# unstratified and with strata = odd/even rows (Davison & Hinkley's stratified influence values).
jack <- sapply(seq_len(n), function(i) resid_r(d$x[-i], d$y[-i], cv[-i, , drop = FALSE])$r)
acc <- function(th) { dd <- mean(th) - th; sum(dd^3) / (6 * sum(dd^2)^1.5) }
strata <- ifelse(seq_len(n) %% 2 == 1, 1L, 2L)
acc_strat <- function(th, s) {
  s2 <- 0; s3 <- 0
  for (g in unique(s)) { t <- th[s == g]; m <- length(t); l <- (m - 1) * (mean(t) - t); s2 <- s2 + sum(l^2) / m^2; s3 <- s3 + sum(l^3) / m^3 }
  s3 / (6 * s2^1.5)
}
# Spearman: ranks redone within each leave-one-out sample.
jack_s <- sapply(seq_len(n), function(i) resid_r(rk(d$x[-i]), rk(d$y[-i]), apply(cv[-i, , drop = FALSE], 2, rk))$r)
jackknife <- list(values = jack, acceleration = acc(jack), strata = strata, acceleration_strata = acc_strat(jack, strata),
  spearman_values = jack_s, spearman_acceleration = acc(jack_s))

# Quantiles (type 7) and a BCa interval on a small made-up bootstrap sample.
tb <- c(0.42, 0.55, 0.31, 0.61, 0.48, 0.50, 0.39, 0.58, 0.47, 0.52, 0.45, 0.66, 0.36, 0.49, 0.53)
t0 <- 0.5; aa <- 0.05
z0 <- qnorm(sum(tb < t0) / length(tb)); zal <- qnorm(c(0.05, 0.95))
adj <- pnorm(z0 + (z0 + zal) / (1 - aa * (z0 + zal)))
bca <- list(t = tb, t0 = t0, a = aa, level = 0.90, z0 = z0, adj_alpha = adj,
  interval = unname(quantile(tb, adj, type = 7)), q7 = unname(quantile(tb, c(0, 0.025, 0.3, 0.5, 0.975, 1), type = 7)))

out <- list(partial = partial, aliased = aliased, semi = semi, tests = tests, padjust = padj, ranks = ranks,
  compare = compare, heterogeneity = het, jackknife = jackknife, bca = bca)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/stats_extra.json")
cat("written test/reference/stats_extra.json\n")
