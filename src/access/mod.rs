//! Kube access: kubeconfig/session resolution, client construction, API calls, error mapping.
