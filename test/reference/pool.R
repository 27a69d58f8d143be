# Reference values for src/stats/pool.ts: mice 3.15's Rubin's rules on lm fits over M completed data sets,
# pool.r.squared, and Rubin's rules on Fisher's z for a partial correlation computed here by its formula.
# Run: Rscript test/reference/pool.R > test/reference/pool.json
suppressMessages({ library(mice); library(jsonlite) })
set.seed(20261201)
n <- 60; m <- 5
base <- data.frame(x = rnorm(n), z1 = rnorm(n), z2 = rnorm(n))
base$y <- 0.4 * base$x + 0.3 * base$z1 + rnorm(n)
# M completed data sets: the same rows, with the first 15 y's "imputed" differently in each.
completed <- lapply(seq_len(m), function(i) { d <- base; d$y[1:15] <- d$y[1:15] + rnorm(15, sd = 0.5); d })
fits <- lapply(completed, function(d) lm(y ~ x + z1 + z2, data = d))
pooled <- summary(pool(as.mira(fits)), conf.int = TRUE)
p <- pool(as.mira(fits))$pooled
r2 <- pool.r.squared(as.mira(fits))
# Partial r of x with y given z1, z2 per data set, pooled on Fisher z with W = 1/(n - 3 - k), dfcom = n - 2 - k.
k <- 2
pr <- sapply(completed, function(d) cor(resid(lm(x ~ z1 + z2, d)), resid(lm(y ~ z1 + z2, d))))
ps <- pool.scalar(atanh(pr), rep(1 / (n - 3 - k), m), n = n - 2 - k, k = 0)
q <- qt(0.975, ps$df)
out <- list(
  per_imputation = lapply(fits, function(f) list(estimate = unname(coef(f)), se = unname(sqrt(diag(vcov(f)))),
                                                  df_residual = f$df.residual, r_squared = summary(f)$r.squared)),
  terms = names(coef(fits[[1]])),
  pooled = list(estimate = pooled$estimate, std_error = pooled$std.error, statistic = pooled$statistic, df = pooled$df,
                p = pooled$p.value, lo = pooled$`2.5 %`, hi = pooled$`97.5 %`, riv = p$riv, lambda = p$lambda, fmi = p$fmi,
                ubar = p$ubar, b = p$b, t = p$t, dfcom = p$dfcom),
  r_squared = list(est = r2[1, "est"], lo = r2[1, "lo 95"], hi = r2[1, "hi 95"], fmi = r2[1, "fmi"]),
  partial = list(n = n, k = k, r = pr, pooled_r = tanh(ps$qbar), df = ps$df, t = ps$qbar / sqrt(ps$t),
                 p = 2 * pt(-abs(ps$qbar / sqrt(ps$t)), ps$df), lo = tanh(ps$qbar - q * sqrt(ps$t)), hi = tanh(ps$qbar + q * sqrt(ps$t)),
                 within = ps$ubar, between = ps$b, total = ps$t, riv = ps$r, fmi = ps$fmi),
  norm_draw = local({
    x <- cbind(1, base$x, base$z1)
    e <- mice:::estimice(x, base$y)
    z <- c(0.5, -1, 2)
    sigma <- sqrt(sum(e$r^2) / 50)  # a chi-square draw of 50
    list(y = base$y, x = base$x, z1 = base$z1, coef = as.vector(e$c), df = e$df, z = z, chisq = 50, sigma = sigma,
         beta = as.vector(e$c + (t(chol(mice:::sym(e$v))) %*% z) * sigma))
  }),
  zero_between = list(df = mice:::barnard.rubin(5, 0, 0.01, 40), dfcom = 40, m = 5),
  versions = list(R = R.version.string, mice = as.character(packageVersion("mice")))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n")
