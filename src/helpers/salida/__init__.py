"""Dónde se escriben: HTML y PDF, anexo Excel, manifiesto, verificación y carpeta del informe."""
