# Reference values for src/stats/impute.ts logisticFit on perfectly separated data (x < 0 ⇔ y = 0): glm.fit with
# quasibinomial(logit), as mice.impute.logreg runs it without augmentation, bounds μ (binomial()$linkinv) and ends
# after 25 iterations at large but finite coefficients ("fitted probabilities numerically 0 or 1").
# Run: Rscript test/reference/impute-separation.R > test/reference/impute-separation.json
suppressMessages(library(jsonlite))
x <- c(-2.1, -1.7, -1.2, -0.9, -0.6, -0.4, -0.2, 0.3, 0.5, 0.8, 1.1, 1.6, 2.0, 2.4)
y <- as.numeric(x > 0)
fit <- suppressWarnings(glm.fit(x = cbind(1, x), y = y, family = quasibinomial(link = logit), weights = rep(1, length(x))))
s <- summary.glm(fit)
out <- list(
  x = x, y = y, coef = unname(coef(fit)), cov_unscaled = as.vector(s$cov.unscaled), iter = fit$iter,
  converged = fit$converged, mu_range = range(fit$fitted.values),
  versions = list(R = R.version.string)
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n")
