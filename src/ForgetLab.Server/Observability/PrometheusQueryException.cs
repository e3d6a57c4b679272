namespace ForgetLab.Server.Observability;

/// <summary>Prometheus refused a query (bad PromQL, a timeout) or could not be reached; the message names the query and the reason.</summary>
public sealed class PrometheusQueryException(string message, Exception? inner = null) : Exception(message, inner);
