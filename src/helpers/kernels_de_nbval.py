"""Complemento de pytest (``-p helpers.kernels_de_nbval``): los kernels en que nbval vuelve a
ejecutar cuadernos hablan con él por enchufes privados, como los de una corrida
(`ejecucion.CanalesPrivados`), y no por TCP.

Por TCP, mientras `informe-poa verificar` vuelve a ejecutar los cuadernos de un informe (o la
suite, los de ``notebooks/``), cualquier usuario de la máquina podía conectarse al canal en
que el kernel publica las salidas de cada celda y leerlas, y tomar antes que él uno de los
puertos que jupyter_client eligió libres. nbval arma su KernelManager él mismo y no tiene una
opción para configurarlo: el complemento cambia la clase que nbval usa por una con los
canales privados, antes de que arranque el primer kernel. Lo cargan la suite
(``addopts`` de pyproject.toml) y la orden con que `verificar` llama a pytest
(`salida.verificacion`)."""


def pytest_configure() -> None:
    import nbval.kernel
    from jupyter_client.manager import KernelManager

    from helpers.ejecucion import CanalesPrivados

    class KernelDeNbval(CanalesPrivados, KernelManager):
        """El KernelManager de nbval, por enchufes privados."""

    nbval.kernel.KernelManager = KernelDeNbval
