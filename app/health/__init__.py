"""Operations endpoints: liveness and readiness probes, Prometheus metrics."""


def register(app):
    from app.health import metrics
    from app.health.routes import bp

    app.register_blueprint(bp)
    metrics.register(app)
