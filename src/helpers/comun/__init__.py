"""Meses y números en castellano, para todos los módulos."""
