# Reference values for src/stats/mediation.ts on the shared sat_act data: ACT → SATV → SATQ adjusted for age,
# education and sex (text, female the reference: sexmale), complete rows. Paths by lm, Sobel by its formula, and the
# bootstrap of a·b with boot (20,000 resamples): percentile and BCa with the jackknife acceleration
# (empinf(type = "jack")). Run: Rscript test/reference/mediation.R > test/reference/mediation.json
suppressMessages({ library(boot); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
d <- read.csv(file.path(here, "..", "..", "..", "shared", "reference", "sat_act.csv"))
d <- d[complete.cases(d[, c("ACT", "SATV", "SATQ", "age", "education", "sex")]), ]
d$sex <- factor(d$sex)
fa <- lm(SATV ~ ACT + age + education + sex, d)
fc <- lm(SATQ ~ ACT + age + education + sex, d)
fb <- lm(SATQ ~ ACT + SATV + age + education + sex, d)
term <- function(fit, name) {
  s <- summary(fit)$coefficients
  ci <- confint(fit)[name, ]
  list(estimate = s[name, 1], se = s[name, 2], t = s[name, 3], p = s[name, 4], ci = unname(ci))
}
a <- term(fa, "ACT"); b <- term(fb, "SATV"); c <- term(fc, "ACT"); cp <- term(fb, "ACT")
ab <- a$estimate * b$estimate
se <- sqrt(b$estimate^2 * a$se^2 + a$estimate^2 * b$se^2)
indirect <- function(data, i) {
  s <- data[i, ]
  coef(lm(SATV ~ ACT + age + education + sex, s))[["ACT"]] * coef(lm(SATQ ~ ACT + SATV + age + education + sex, s))[["SATV"]]
}
set.seed(1)
bt <- boot(d, indirect, R = 20000)
ci <- boot.ci(bt, type = c("perc", "bca"), L = empinf(bt, type = "jack", index = 1))
out <- list(
  n = nrow(d), a = a, b = b, c = c, c_prime = cp, indirect = ab,
  sobel = list(se = se, z = ab / se, p = 2 * pnorm(-abs(ab / se))),
  boot = list(resamples = 20000, se = sd(bt$t[, 1]), percentile = ci$percent[1, 4:5], bca = ci$bca[1, 4:5]),
  versions = list(R = R.version.string, boot = as.character(packageVersion("boot")))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n")
