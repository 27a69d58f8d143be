# Reference values for `canrelax-analyze mediate` (src/analyses/mediate.ts) through the CLI, on the shared sat_act
# data: ACT → SATV → SATQ adjusted for age and education as a factor (education0 the reference: education1 …
# education5), rows complete on ACT, SATV, SATQ, age, education and sex. Paths by lm, Sobel by its formula, the
# moderated-mediation models with sex as the moderator (Hayes 2015 Multivariate Behav Res 50:1; PROCESS models 7, 14
# and 58: the moderator enters the equation it moderates, with its product term), and the bootstrap of every
# indirect quantity with boot (20,000 resamples): percentile, and BCa with the jackknife acceleration
# (empinf(type = "jack")). --by sex: per-sex mediation and the difference of the indirect effects, resampled
# within sex (boot's strata).
# Run: Rscript test/reference/mediate_cli.R > test/reference/mediate_cli.json
suppressMessages({ library(boot); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
d <- read.csv(file.path(here, "..", "..", "..", "shared", "reference", "sat_act.csv"))
d <- d[complete.cases(d[, c("ACT", "SATV", "SATQ", "age", "education", "sex")]), ]
d$education <- factor(d$education)
d$sex <- factor(d$sex)
R <- 20000
fits <- function(s) list(
  a = lm(SATV ~ ACT + age + education, s),
  c = lm(SATQ ~ ACT + age + education, s),
  b = lm(SATQ ~ ACT + SATV + age + education, s),
  a7 = lm(SATV ~ ACT * sex + age + education, s),
  b14 = lm(SATQ ~ ACT + SATV * sex + age + education, s)
)
term <- function(fit, name) {
  s <- summary(fit)$coefficients
  list(estimate = s[name, 1], se = s[name, 2], t = s[name, 3], p = s[name, 4], ci = unname(confint(fit)[name, ]))
}
table_of <- function(fit) setNames(lapply(rownames(summary(fit)$coefficients), function(nm) term(fit, nm)), rownames(summary(fit)$coefficients))
simple <- function(f) {
  a <- term(f$a, "ACT"); b <- term(f$b, "SATV"); c <- term(f$c, "ACT"); cp <- term(f$b, "ACT")
  ab <- a$estimate * b$estimate
  se <- sqrt(b$estimate^2 * a$se^2 + a$estimate^2 * b$se^2)
  list(n = nrow(f$a$model), a = a, b = b, c = c, c_prime = cp, indirect = ab, sobel = list(se = se, z = ab / se, p = 2 * pnorm(-abs(ab / se))))
}
# Every bootstrapped quantity from one set of fits.
quantities <- function(f) {
  a <- coef(f$a)[["ACT"]]; b <- coef(f$b)[["SATV"]]; c <- coef(f$c)[["ACT"]]
  a1 <- coef(f$a7)[["ACT"]]; a3 <- coef(f$a7)[["ACT:sexmale"]]
  b1 <- coef(f$b14)[["SATV"]]; b3 <- coef(f$b14)[["SATV:sexmale"]]
  c(indirect = a * b, proportion = a * b / c, index_a = a3 * b, index_b = a * b3,
    both_female = a1 * b1, both_male = (a1 + a3) * (b1 + b3), both_difference = (a1 + a3) * (b1 + b3) - a1 * b1)
}
intervals <- function(bt) {
  lapply(setNames(seq_along(bt$t0), names(bt$t0)), function(i) {
    ci <- boot.ci(bt, type = c("perc", "bca"), index = i, L = empinf(bt, type = "jack", index = i))
    list(estimate = bt$t0[[i]], se = sd(bt$t[, i]), percentile = ci$percent[1, 4:5], bca = ci$bca[1, 4:5])
  })
}
f <- fits(d)
set.seed(1)
bt <- boot(d, function(data, i) quantities(fits(data[i, ])), R = R)
# --by sex: each sex on its own (paths), and the difference male − female of the indirect effects.
by_fits <- function(s) lapply(split(s, s$sex), function(g) {
  list(a = lm(SATV ~ ACT + age + education, g), c = lm(SATQ ~ ACT + age + education, g), b = lm(SATQ ~ ACT + SATV + age + education, g))
})
by_indirect <- function(fs) sapply(fs, function(g) coef(g$a)[["ACT"]] * coef(g$b)[["SATV"]])
bf <- by_fits(d)
set.seed(1)
bt_by <- boot(d, function(data, i) { v <- by_indirect(by_fits(data[i, ])); c(difference = v[["male"]] - v[["female"]]) }, R = R, strata = as.integer(d$sex))
out <- list(
  n = nrow(d),
  resamples = R,
  simple = simple(f),
  a_model = table_of(f$a7),
  b_model = table_of(f$b14),
  boot = intervals(bt),
  by = lapply(bf, simple),
  by_difference = intervals(bt_by)$difference,
  versions = list(R = R.version.string, boot = as.character(packageVersion("boot")))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n")
