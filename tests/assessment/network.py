"""The five-node network shared by the indicator and LCA tests; every figure below is chosen for round results.

    C1 (collector, Alu Collect) --150 t, 100 km road------------\
                                                                 S (sorter) --125 t, 400 km rail--> R (recycler)
    C2 (collector, Forge Works) --100 t, 50 km road, backhaul--/        (S and R: Shred & Smelt, one site)
    R --100 t, 200 km road--> E (end collector, Forge Works)

The quantities follow backwards from the forge's need of 100 t/year (scenarios.quantities on the same network):
R (yield 0.8) must receive 125 t, S (yield 0.5) 250 t, split 3:2 between C1 (150 t) and C2 (100 t); C1 (yield 0.25)
collects 600 t of scrap, C2 (yield 0.5) 200 t. The forge also collects (C2), which makes Forge Works a partner with
two nodes and a route (C2 -> S) whose cost lands on a partner other than its destination's. C2 -> S is a backhaul:
the forge's truck returns from delivering parts and carries the scrap.
"""

import numpy as np

from assessment.indicators import MODES, CostFactors, NetworkArrays
from assessment.lca import ImpactFactors

ROAD, RAIL = MODES.index("road"), MODES.index("rail")
C1, C2, S, R, E = range(5)
ALU_COLLECT, SHRED_SMELT, FORGE_WORKS = range(3)
PARTNERS = ("Alu Collect", "Shred & Smelt", "Forge Works")
UNITS_PER_YEAR = 100_000  # control arms a year, 4 kg each: 400 t = 400,000 kg of product
PRODUCT_MASS_KG_PER_YEAR = 400_000.0


def five_node_network(scale: float = 1.0) -> NetworkArrays:
    """The network above; `scale` multiplies every quantity and throughput (the rank-flip scenario B uses 2)."""
    return NetworkArrays(
        #                    C1->S  C2->S  S->R  R->E
        route_origin=np.array([C1, C2, S, R]),
        route_destination=np.array([S, S, R, E]),
        route_quantity_t=scale * np.array([150.0, 100.0, 125.0, 100.0]),
        route_distance_km=np.array([100.0, 50.0, 400.0, 200.0]),
        route_mode=np.array([ROAD, ROAD, RAIL, ROAD]),
        route_backhaul=np.array([False, True, False, False]),
        #                                   C1      C2      S       R      E
        node_throughput_t=scale * np.array([600.0, 200.0, 250.0, 125.0, 100.0]),
        node_partner=np.array([ALU_COLLECT, FORGE_WORKS, SHRED_SMELT, SHRED_SMELT, FORGE_WORKS]),
        node_fixed_eur=np.array([10_000.0, 5_000.0, 80_000.0, 0.0, 0.0]),  # S carries the S+R site's fixed cost
        node_process_eur_per_t=np.array([20.0, 30.0, 40.0, 200.0, 0.0]),
        node_price_eur_per_t=np.array([200.0, 100.0, 400.0, 1_500.0, 0.0]),
        node_stock_days=np.array([36.5, 73.0, 18.25, 36.5, 73.0]),
        node_co2e_kg_per_t=np.array([10.0, 10.0, 40.0, 400.0, 0.0]),
        node_energy_mj_per_t=np.array([100.0, 100.0, 400.0, 6_000.0, 0.0]),
        node_water_m3_per_t=np.array([0.01, 0.01, 0.2, 1.6, 0.0]),
        n_partners=3,
    )


def cost_factors() -> CostFactors:
    # EUR per tkm: road 0.10, rail 0.04 (inland waterway and sea unused here); backhaul charged at half the rate;
    # holding one tonne in stock for a year costs 100 EUR.
    return CostFactors(
        transport_eur_per_tkm=np.array([0.10, 0.04, 0.03, 0.01]), backhaul_share=0.5, holding_eur_per_t_year=100.0
    )


def impact_factors() -> ImpactFactors:
    # Per tkm (kg CO2e, MJ, m3): road 0.1 kg CO2e (DEFRA/DESNZ 2025, HGV average laden: 0.10163), rail 0.03
    # (freight train 0.02779), rounded; inland waterway 0.0386 (KiM/CE Delft 2014) and sea 0.00353 (bulk carrier),
    # unused here. A backhaul route is allocated half the impact. Primary aluminium 7 kg CO2e/kg (European
    # Aluminium 2018: about 6.8-7), 150 MJ/kg, 0.05 m3/kg; casting the recycled billet 0.2 kg CO2e, 6 MJ
    # (about 4 % of primary: recycling needs about 5 % of the energy), 0.002 m3 per kg.
    return ImpactFactors(
        transport_per_tkm=np.array(
            [[0.1, 1.6, 0.0004], [0.03, 0.4, 0.0002], [0.0386, 0.5, 0.0002], [0.00353, 0.05, 0.00001]]
        ),
        backhaul_share=0.5,
        primary_per_kg=np.array([7.0, 150.0, 0.05]),
        secondary_per_kg=np.array([0.2, 6.0, 0.002]),
    )
