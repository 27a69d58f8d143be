# The R side of `npm run bench` for `measure`: read, the WAI-I's three-factor CFA with lavaan's cfa() defaults on the
# rows answering every item, and its fitMeasures, as `measure --instrument wai --bootstrap 0` does.
# Rscript bench/cfa.R in.csv
suppressMessages({ library(data.table); library(lavaan) })
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], na.strings = c("", "NA", "N/A", "NaN", "."))
fit <- cfa("task =~ wai_1 + wai_2 + wai_10 + wai_12\nbond =~ wai_3 + wai_5 + wai_7 + wai_9\ngoal =~ wai_4 + wai_6 + wai_8 + wai_11", data = d)
cat("n", nobs(fit), "chisq", fitMeasures(fit, "chisq"), "\n")
