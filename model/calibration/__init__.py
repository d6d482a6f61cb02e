"""Fitting the model: market-implied and capex-implied elasticities, their combination, as-of
forecasts (see ``fit``)."""
