# Reference values for src/stats/impute.ts's logistic step: mice 3.15's augment() and the weighted quasibinomial
# glm.fit that mice.impute.logreg runs on it (coefficients and cov.unscaled), and β* for fixed normal draws.
# Run: Rscript test/reference/impute.R > test/reference/impute.json
suppressMessages({ library(mice); library(jsonlite) })
set.seed(7)
n <- 80
x1 <- rnorm(n); x2 <- runif(n, 1, 5)
y <- as.numeric(0.8 * x1 - 0.5 * x2 + 1 + rlogis(n) > 0)
ry <- rep(TRUE, n); ry[c(3, 10)] <- FALSE  # two missing: augmentation applies
x <- data.frame(x1 = x1, x2 = x2)
aug <- mice:::augment(y, ry, x, !ry)
X <- cbind(1, as.matrix(aug$x))
fit <- glm.fit(x = X[aug$ry, ], y = aug$y[aug$ry], family = quasibinomial(link = logit), weights = aug$w[aug$ry])
s <- summary.glm(fit)
z <- c(0.3, -1.2, 0.7)
beta.star <- coef(fit) + t(chol(mice:::sym(s$cov.unscaled))) %*% z
# Plain weighted logistic fit (no augmentation), for logisticFit alone.
plain <- glm.fit(x = cbind(1, x1, x2), y = y, family = quasibinomial(link = logit), weights = rep(c(1, 2), n / 2))
out <- list(
  x1 = x1, x2 = x2, y = y, missing = c(3, 10),
  augmented = list(x1 = aug$x$x1[(n + 1):nrow(aug$x)], x2 = aug$x$x2[(n + 1):nrow(aug$x)], y = aug$y[(n + 1):length(aug$y)],
                   w = aug$w[(n + 1):length(aug$w)]),
  coef = unname(coef(fit)), cov_unscaled = as.vector(s$cov.unscaled), z = z, beta_star = as.vector(beta.star),
  plain = list(weights = rep(c(1, 2), n / 2), coef = unname(coef(plain)), cov_unscaled = as.vector(summary.glm(plain)$cov.unscaled)),
  versions = list(R = R.version.string, mice = as.character(packageVersion("mice")))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n")
