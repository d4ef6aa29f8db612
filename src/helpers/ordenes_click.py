"""Las piezas de click con que se arman las órdenes de `informe-poa`, en castellano: la ayuda
(sus encabezados, `-h`, «[obligatoria]»), el grupo que nombra las órdenes que existen y el
mensaje de error. Las usan `cli` y los módulos de órdenes de cada circuito
(`ordenes_formularios`).
"""
from __future__ import annotations

import click

from helpers.consola import consola, inerte

__all__ = ["AJUSTES", "Contexto", "Grupo", "Opcion", "Orden", "decir_error",
           "decir_si_esta_abierto"]

# Los encabezados de sección de la ayuda (el de uso lo escribe `write_usage`).
_SECCIONES = {"Options": "Opciones", "Commands": "Órdenes", "Arguments": "Argumentos"}


class _Formato(click.HelpFormatter):
    """La ayuda en castellano: los encabezados que Click escribe en inglés."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPCIONES]")
                            .replace("COMMAND [ARGS]...", "ORDEN [ARGUMENTOS]..."),
                            prefix="Uso: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_SECCIONES.get(heading, heading))


class Contexto(click.Context):
    formatter_class = _Formato


class _EnCastellano:
    """Mezcla para órdenes y grupos: contexto con la ayuda en castellano y `-h`."""

    context_class = Contexto

    def get_help_option(self, ctx):
        opcion = super().get_help_option(ctx)
        if opcion is not None:
            opcion.help = "Muestra esta ayuda y termina."
        return opcion


class Orden(_EnCastellano, click.Command):
    pass


class Grupo(_EnCastellano, click.Group):
    command_class = Orden

    def resolve_command(self, ctx, args):
        nombre = args[0] if args else ""
        if nombre and not nombre.startswith("-") and self.get_command(ctx, nombre) is None:
            raise click.UsageError(
                f"no existe la orden «{nombre}»; las órdenes son: "
                + ", ".join(self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx):
        # En el orden de uso, no alfabético.
        return list(self.commands)


class Opcion(click.Option):
    """Una opción cuya ayuda dice «[obligatoria]», no «[required]»."""

    def get_help_extra(self, ctx):
        extra = super().get_help_extra(ctx)
        if "required" in extra:
            extra["required"] = "obligatoria"
        return extra


AJUSTES = {"help_option_names": ["-h", "--help"], "max_content_width": 100}




def decir_error(texto: str) -> None:
    """Un mensaje a la salida de errores, inerte (el texto de los datos no se interpreta)."""
    consola(error=True).print(inerte(texto))


def decir_si_esta_abierto(ruta) -> None:
    """Advierte si el libro de datos de `ruta` (un libro, una carpeta de CSV o un archivo de
    parámetros, que dice dónde está) está abierto en Excel o LibreOffice: lo que no se
    guardó no se lee (`entrada.abierto`). No detiene la orden."""
    from helpers.entrada.abierto import libro_abierto_de

    for aviso in libro_abierto_de(ruta):
        consola().print(inerte(f"Advertencia: {aviso}"))
