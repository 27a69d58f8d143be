# Reference values for test/cli/model.test.ts beyond sat_act.expected.json's `ols` block and ols_extra.json.
# Run from the repository root:  Rscript test/reference/model_cli.R  (writes test/reference/model_cli.json)
# Data: ../shared/reference/sat_act.csv, sex a factor (female first in sort order); lm drops rows missing SATQ.
suppressPackageStartupMessages({
  library(sandwich)
  library(jsonlite)
})

d <- read.csv("../shared/reference/sat_act.csv", na.strings = "")
d$sex <- factor(d$sex)
d <- d[complete.cases(d[, c("SATQ", "ACT", "SATV", "sex", "age", "education")]), ]
stopifnot(nrow(d) == 687)

coefs <- function(fit) {
  s <- summary(fit)
  tab <- coef(s)
  list(terms = colnames(model.matrix(fit)), estimate = unname(coef(fit)), se = unname(tab[, "Std. Error"]),
       t = unname(tab[, "t value"]), p = unname(tab[, "Pr(>|t|)"]), ci = unname(confint(fit)),
       n = nrow(model.matrix(fit)), df = fit$df.residual, r2 = s$r.squared, adj_r2 = s$adj.r.squared,
       sigma = s$sigma, f = unname(s$fstatistic["value"]),
       f_p = unname(pf(s$fstatistic["value"], s$fstatistic["numdf"], s$fstatistic["dendf"], lower.tail = FALSE)))
}
# c'b with SE sqrt(c'Vc), t on the residual df.
contrast <- function(fit, cv, V = vcov(fit)) {
  est <- sum(cv * coef(fit)); se <- sqrt(drop(t(cv) %*% V %*% cv)); tt <- est / se
  q <- qt(0.975, fit$df.residual)
  list(estimate = est, se = se, t = tt, p = 2 * pt(-abs(tt), fit$df.residual), ci = c(est - q * se, est + q * se))
}

# 1. Two x's interacting with sex: y ~ (x1 + x2) * g + covariates. R's order:
#    (Intercept), ACT, SATV, sexmale, age, education, ACT:sexmale, SATV:sexmale.
fit_multi <- lm(SATQ ~ (ACT + SATV) * sex + age + education, data = d)
multi <- coefs(fit_multi)
multi$slope_SATV_male <- contrast(fit_multi, c(0, 0, 1, 0, 0, 0, 0, 1))
multi$slope_SATV_male_hc3 <- contrast(fit_multi, c(0, 0, 1, 0, 0, 0, 0, 1), vcovHC(fit_multi, type = "HC3"))
multi$hc3_se <- unname(sqrt(diag(vcovHC(fit_multi, type = "HC3"))))

# 2. A numeric moderator: SATQ ~ ACT * age + education; simple slopes of ACT at mean(age) - sd, mean, + sd
#    over the analysis rows (sd with n - 1).
fit_num <- lm(SATQ ~ ACT * age + education, data = d)
numeric <- coefs(fit_num)
at <- mean(d$age) + c(-1, 0, 1) * sd(d$age)
numeric$at <- at
numeric$slopes <- lapply(at, function(a) contrast(fit_num, c(0, 1, 0, 0, a)))

# 3. Categorical covariate from a numeric column (--categorical education: levels 0..5, 0 the reference) and
#    sex with male as the reference (--ref sex=male): terms ACT, sexfemale, age, education1..5, ACT:sexfemale.
d$sexm <- relevel(d$sex, ref = "male")
fit_cat <- lm(SATQ ~ ACT * sexm + age + factor(education), data = d)
categorical <- coefs(fit_cat)
categorical$slope_ACT_female <- contrast(fit_cat, c(0, 1, 0, 0, 0, 0, 0, 0, 0, 1))

# 4. Strata: one model per sex, sex leaves the covariates.
strata <- lapply(c(female = "female", male = "male"), function(s) coefs(lm(SATQ ~ ACT + age + education, data = d[d$sex == s, ])))

out <- list(multi = multi, numeric = numeric, categorical = categorical, strata = strata,
            versions = list(R = R.version.string, sandwich = as.character(packageVersion("sandwich"))))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/reference/model_cli.json")
