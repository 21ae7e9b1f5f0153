"""HTTP views: parse the request, let the context's ACL authorize, call a service, render."""
