"""Operations endpoints: liveness and readiness probes, Prometheus metrics."""


def register(app):
    from app.operations import metrics
    from app.operations.routes import bp

    app.register_blueprint(bp)
    metrics.register(app)
