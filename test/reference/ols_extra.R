# Reference values for test/stats/ols.test.ts beyond sat_act.expected.json's `ols` block.
# Run from the repository root:  Rscript test/reference/ols_extra.R  (writes test/reference/ols_extra.json)
# Model: lm(SATQ ~ ACT * sex + age + education), sex a factor with female (first in sort order) the reference,
# on the 687 rows with SATQ present. Row numbers below are positions among those 687 analysis rows (1-based).
suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(jsonlite)
})

d <- read.csv("../shared/reference/sat_act.csv", na.strings = "")
d$sex <- factor(d$sex)                     # levels female, male: female is the reference
d <- d[complete.cases(d[, c("SATQ", "ACT", "sex", "age", "education")]), ]
stopifnot(nrow(d) == 687)

fit <- lm(SATQ ~ ACT * sex + age + education, data = d)
s <- summary(fit)
X <- model.matrix(fit)
n <- nrow(X)
p <- ncol(X)

V <- vcov(fit)
V3 <- vcovHC(fit, type = "HC3")
ct3 <- coeftest(fit, vcov. = V3)           # t = est / se_HC3, p on the residual df (t distribution)

# VIF per model-matrix column (as coded, interaction column included): 1 / (1 - R^2) from lm of
# the column on the other columns (with the intercept).
vifs <- sapply(2:p, function(j) {
  r2 <- summary(lm(X[, j] ~ X[, -c(1, j)]))$r.squared
  1 / (1 - r2)
})
names(vifs) <- colnames(X)[-1]

# Partial and semi-partial r of each non-intercept column, straight from residuals (checks the t-based formulas).
yv <- d$SATQ
pr <- sapply(2:p, function(j) {
  ex <- resid(lm(X[, j] ~ X[, -c(1, j)]))
  ey <- resid(lm(yv ~ X[, -c(1, j)]))
  c(partial = cor(ex, ey), semipartial = cor(ex, yv))
})
colnames(pr) <- colnames(X)[-1]

# Standardized coefficients, convention: beta_j * sd(x_j) / sd(y) with x_j the model-matrix column as coded
# (the interaction column is the product ACT * sexmale); equals lm on the scaled model-matrix columns.
Zs <- scale(X[, -1])
fit_std <- lm(scale(yv) ~ Zs)
std_coef <- unname(coef(fit_std)[-1])

cd <- cooks.distance(fit)
h <- hatvalues(fit)
hat_rows <- c(1, 2, 100, 345, 687)

# Simple slopes of ACT: female = b_ACT; male = b_ACT + b_ACT:sexmale.
cvec <- c(0, 1, 0, 0, 0, 1)
slope <- function(cv, VV) {
  est <- sum(cv * coef(fit))
  se <- sqrt(drop(t(cv) %*% VV %*% cv))
  tt <- est / se
  q <- qt(0.975, fit$df.residual)
  list(estimate = est, se = se, t = tt, p = 2 * pt(-abs(tt), fit$df.residual),
       ci = c(est - q * se, est + q * se))
}
fstat <- s$fstatistic

out <- list(
  n = n,
  terms = colnames(X),
  sigma = s$sigma,
  df_residual = fit$df.residual,
  f = unname(fstat["value"]),
  f_df = unname(fstat[c("numdf", "dendf")]),
  f_p = unname(pf(fstat["value"], fstat["numdf"], fstat["dendf"], lower.tail = FALSE)),
  ci95 = unname(confint(fit)),
  ci90 = unname(confint(fit, level = 0.9)),
  vcov = unname(V),
  hc3_se = unname(sqrt(diag(V3))),
  hc3_vcov = unname(V3),
  coeftest_hc3 = list(t = unname(ct3[, "t value"]), p = unname(ct3[, "Pr(>|t|)"])),
  vif = unname(vifs),
  partial_r = unname(pr["partial", ]),
  semipartial_r = unname(pr["semipartial", ]),
  std_coef = std_coef,
  cooks_max = max(cd),
  cooks_which_max = unname(which.max(cd)),
  cooks_over_4_n = sum(cd > 4 / n),
  cooks_rows = unname(cd[hat_rows]),
  hat_rows = hat_rows,
  hat = unname(h[hat_rows]),
  hat_sum = sum(h),
  residual_rows = unname(resid(fit)[hat_rows]),
  fitted_rows = unname(fitted(fit)[hat_rows]),
  slope_female = slope(c(0, 1, 0, 0, 0, 0), V),
  slope_male = slope(cvec, V),
  slope_female_hc3 = slope(c(0, 1, 0, 0, 0, 0), V3),
  slope_male_hc3 = slope(cvec, V3)
)

# Rank-deficient design: age2 = 2 * age placed between age and education, so the limited pivoting must move it
# to the end; lm reports NA for it and the other terms are as in the full-rank model.
d$age2 <- 2 * d$age
fit_rd <- lm(SATQ ~ ACT * sex + age + age2 + education, data = d)
s_rd <- summary(fit_rd)
cf <- coef(fit_rd)
tab <- coef(s_rd)
V3_rd <- vcovHC(fit_rd, type = "HC3")
out$rank_deficient <- list(
  terms = names(cf),
  rank = fit_rd$rank,
  pivot = fit_rd$qr$pivot,
  aliased = unname(is.na(cf)),
  estimate = unname(cf),                 # NA (JSON null) for the aliased term
  se = unname(tab[, "Std. Error"]),      # non-aliased terms only, in order
  t = unname(tab[, "t value"]),
  p = unname(tab[, "Pr(>|t|)"]),
  r2 = s_rd$r.squared,
  hc3_se = unname(sqrt(diag(V3_rd)))    # non-aliased terms only
)

# Leverage 1: a dummy column that is 1 for exactly one row (row 1) gives that row h = 1 and residual 0;
# HC3 divides 0 by (1 - h)^2 = 0 and sandwich returns NaN.
d$single <- as.numeric(seq_len(nrow(d)) == 1)
fit_l1 <- lm(SATQ ~ ACT * sex + age + education + single, data = d)
V3_l1 <- suppressWarnings(vcovHC(fit_l1, type = "HC3"))
out$leverage_one <- list(
  terms = names(coef(fit_l1)),           # R puts `single` before the interaction ACT:sexmale
  row = 1,
  hat = unname(hatvalues(fit_l1)[1]),
  residual = unname(resid(fit_l1)[1]),
  hc3_all_nan = all(is.nan(V3_l1) | is.na(V3_l1)),
  estimate = unname(coef(fit_l1)),
  se = unname(coef(summary(fit_l1))[, "Std. Error"])
)
out$versions <- list(R = R.version.string, sandwich = as.character(packageVersion("sandwich")),
                     lmtest = as.character(packageVersion("lmtest")))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/reference/ols_extra.json")
